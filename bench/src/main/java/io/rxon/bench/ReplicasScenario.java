package io.rxon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of 1 against 3 orchestrator replicas on one PostgreSQL (issue 16): the closed loop of
 * the driver scenario ({@link DriverScenario}: 8 one-task long-poll HTTP workers, 64 echo jobs in
 * flight, 500 warm-up and 5,000 measured jobs), every client and worker going through a round-robin
 * TCP proxy in front of the replicas (in front of the single one too, so that its hop is in both
 * figures), a fresh set of processes per round, rounds interleaved (1, 3, 1, 3, ...). On one
 * machine the replicas share its cores with PostgreSQL and the harness, so the figure is the cost
 * of coordinating replicas (cross-replica notifications, claims racing on the same rows, more
 * connections), not the scaling that replicas on their own machines would give.
 */
final class ReplicasScenario {

    static final List<String> COLUMNS = List.of("mode", "replicas", "jobs", "completed", "seconds", "jobs_per_s",
            "e2e_p50_ms", "e2e_p99_ms", "e2e_max_ms", "orch_dispatch_p99_ms", "orch_dispatch_max_ms", "stalled",
            "cpu_ms_per_job_jvm", "cpu_ms_per_job_postgres", "cpu_ms_per_job_server", "cpu_ms_per_job_bench",
            "tasks_per_worker_min", "tasks_per_worker_max", "load_avg_before");

    private ReplicasScenario() {}

    /** Replica counts in the order of one run ({@code --replicas}, default 1,3). */
    static List<String> modes(Options options) {
        List<String> modes = new ArrayList<>();
        options.integers("replicas", "1,3").forEach(count -> modes.add(Integer.toString(count)));
        return modes;
    }

    static List<Map<String, Object>> run(Options options, Path work) {
        return Interleaved.run("replicas", modes(options), options.integer("runs", 1),
                Boolean.parseBoolean(options.string("warm-round", "true")), work, COLUMNS,
                (mode, run, dir) -> round(options, Integer.parseInt(mode), dir));
    }

    private static Map<String, Object> round(Options options, int replicas, Path dir) {
        Bench.log("  starting %d replica(s) behind the proxy", replicas);
        Map<String, Object> measured = DriverScenario.measure(options, DriverScenario.CLOSED, null,
                Target.start(dir, Map.of(), replicas));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", replicas + (replicas == 1 ? " replica" : " replicas") + ", closed ("
                + options.integer("in-flight", 64) + " in flight)");
        row.put("replicas", replicas);
        measured.forEach(row::putIfAbsent);
        // Micrometer's decaying max per replica: added up over replicas it means nothing.
        row.remove("orch_dispatch_max_gauge_ms");
        return row;
    }
}
