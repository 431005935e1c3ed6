package io.rxon.bench;

import io.rxon.e2e.ClientApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Workflows (docs/WORKFLOWS.md): a 10-step linear workflow and a 100-branch fan-out ({@code for}
 * over 100 items, all at once), each step an {@code echo} call answered by simulated long-poll
 * workers. Reports steps per second and the orchestrator's CPU per step (JVM and PostgreSQL apart).
 */
final class WorkflowScenario {

    static final String LINEAR = "linear10";
    static final String FANOUT = "fanout100";

    static final List<String> COLUMNS = List.of("mode", "workflows", "steps_each", "steps", "seconds", "steps_per_s",
            "orchestrator_cpu_ms_per_step", "postgres_cpu_ms_per_step");

    private WorkflowScenario() {}

    static List<Map<String, Object>> run(Options options, Path work) {
        return Interleaved.run("workflow", options.strings("modes", LINEAR + "," + FANOUT), options.integer("runs", 1),
                false, work, COLUMNS,
                (mode, run, dir) -> round(options, mode, dir));
    }

    static Map<String, Object> round(Options options, String mode, Path dir) {
        // --profile records JFR in every round's measured phase (JFR costs CPU: a profiling invocation, not figures).
        Path jfr = options.flag("profile") ? dir.resolveSibling(dir.getFileName() + ".jfr") : null;
        boolean linear = LINEAR.equals(mode);
        int workflows = options.integer("workflows", linear ? 200 : 20);
        // --items widens the fan-out: what a step costs as an instance grows.
        int stepsEach = linear ? 10 : options.integer("items", 100);
        try (Target target = Target.start(dir, Map.of());
                SimWorkers workers = new SimWorkers(target, 2, "wf", new SimWorkers.Sink() {
                    @Override
                    public void received(long sentNanos, long nowNanos) {
                        // Steps are counted from the workflow jobs, not per task.
                    }

                    @Override
                    public void completed(long sentNanos, long nowNanos, boolean accepted, Throwable error) {
                        // As above.
                    }
                })) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            for (int i = 0; i < options.integer("workers", 8); i++) {
                SimWorkers.Sim sim = workers.create(i, false);
                sim.register();
                workers.startPolling(sim, Duration.ofSeconds(5), deadline);
            }
            ClientApi client = target.client();
            client.registerWorkflow(linear ? linearDefinition() : fanoutDefinition(stepsEach));
            if (jfr != null) {
                target.startJfr(jfr);
            }
            Target.CpuTimes before = target.cpu();
            long start = System.nanoTime();
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < workflows; i++) {
                jobs.add(client.submit(Map.of("workflow", mode, "input",
                        Map.of("items", IntStream.range(0, stepsEach).boxed().toList()))));
            }
            int finished = 0;
            for (String job : jobs) {
                finished += "finished".equals(client.awaitEnd(job, Duration.ofMinutes(30)).path("status").asText()) ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Target.CpuTimes after = target.cpu();
            if (jfr != null) {
                target.stopJfr();
                summarise(options, jfr);
            }
            int steps = finished * stepsEach;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", mode);
            row.put("workflows", finished);
            row.put("steps_each", stepsEach);
            row.put("steps", steps);
            row.put("seconds", Math.round(seconds * 10) / 10.0);
            row.put("steps_per_s", Math.round(steps / seconds));
            row.put("orchestrator_cpu_ms_per_step", Math.round((after.orchestrator() - before.orchestrator()) * 1e4
                    / Math.max(1, steps)) / 10.0);
            row.put("postgres_cpu_ms_per_step", Math.round((after.postgres() - before.postgres()) * 1e4
                    / Math.max(1, steps)) / 10.0);
            return row;
        }
    }

    private static void summarise(Options options, Path jfr) {
        try {
            JfrSummary.summarise(jfr, options.integer("top", 25), System.out);
        } catch (Exception e) {
            Bench.log("JFR summary failed: %s", e);
        }
    }

    static String linearDefinition() {
        StringBuilder yaml = new StringBuilder("""
                document: {dsl: '1.0.0', namespace: bench, name: linear10, version: '1.0.0'}
                do:
                """);
        for (int i = 1; i <= 10; i++) {
            yaml.append("  - step").append(i).append(":\n      call: rxon\n      with: {skill: echo, params: {step: ")
                    .append(i).append("}}\n");
        }
        return yaml.toString();
    }

    static String fanoutDefinition(int items) {
        return """
                document: {dsl: '1.0.0', namespace: bench, name: fanout100, version: '1.0.0'}
                do:
                  - each:
                      for: {each: item, in: '${ .items }'}
                      metadata: {concurrency: %d}
                      do:
                        - echo:
                            call: rxon
                            with: {skill: echo, params: {item: '${ $item }'}}
                """.formatted(items);
    }
}
