package io.rxon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dispatch rate against queue depth (issue 13, item 2). A fresh orchestrator gets {@code depth}
 * pending tasks preloaded in its database ({@link BacklogLoader}: 4 types, one of them {@code echo},
 * 5 priorities, all below the measured jobs' priority 0); then 8 one-task long-poll HTTP workers
 * with every type as a skill (variant {@code extra}: plus 4 types that have no tasks) serve a
 * closed loop of echo jobs submitted through the API (64 in flight). The rate is the results
 * accepted per second over a fixed window after a warm-up, with the backlog pending beneath the
 * whole time; so the measured work per job is the same at every depth and only the claim's cost
 * under the backlog differs. A worker finding no measured job pending takes a backlog task; those
 * are counted too (all tasks) and apart.
 */
final class BacklogScenario {

    static final List<String> TYPES = List.of(SimWorkers.SKILL, "backlog-1", "backlog-2", "backlog-3");
    static final List<String> ABSENT = List.of("absent-1", "absent-2", "absent-3", "absent-4");

    static final List<String> COLUMNS = List.of("mode", "depth", "skills", "load_s", "window_s", "jobs_per_s",
            "tasks_per_s", "rate_vs_empty", "backlog_tasks_taken", "e2e_p50_ms", "e2e_p99_ms", "orch_dispatch_p99_ms",
            "orch_dispatch_max_ms", "cpu_ms_per_task_jvm", "cpu_ms_per_task_postgres", "cpu_ms_per_task_server",
            "pending_after", "load_avg_before");

    private BacklogScenario() {}

    /** Counts measured jobs (they carry their submission instant) and backlog tasks apart. */
    static final class Counting extends Scenarios.Recorder {
        final AtomicLong jobs = new AtomicLong();
        final AtomicLong backlog = new AtomicLong();

        Counting(int window) {
            super(window);
        }

        @Override
        public void completed(long sentNanos, long nowNanos, boolean accepted, Throwable error) {
            if (sentNanos > 0) {
                if (accepted && error == null) {
                    jobs.incrementAndGet();
                }
                super.completed(sentNanos, nowNanos, accepted, error);
            } else if (accepted) {
                backlog.incrementAndGet();
            }
        }
    }

    static List<Map<String, Object>> run(Options options, Path work) {
        List<String> modes = new ArrayList<>();
        for (String variant : options.strings("skills", "all,extra")) {
            for (int depth : options.integers("depths", "0,10000,100000,1000000")) {
                modes.add(depth + "-" + variant);
            }
        }
        List<Map<String, Object>> rows = Interleaved.run("backlog", modes, options.integer("runs", 1),
                Boolean.parseBoolean(options.string("warm-round", "true")), work, COLUMNS,
                (mode, run, dir) -> round(options, mode, dir));
        // rate(depth) / rate(0) of the same run (or median row) and skill variant.
        for (Map<String, Object> row : rows) {
            rows.stream().filter(empty -> Integer.valueOf(0).equals(toInt(empty.get("depth")))
                    && String.valueOf(empty.get("skills")).equals(String.valueOf(row.get("skills")))
                    && String.valueOf(empty.get("run")).equals(String.valueOf(row.get("run")))
                    && empty.get("tasks_per_s") instanceof Number)
                    .findFirst().ifPresent(empty -> {
                        if (row.get("tasks_per_s") instanceof Number rate) {
                            row.put("rate_vs_empty", Target.round2(rate.doubleValue()
                                    / ((Number) empty.get("tasks_per_s")).doubleValue()));
                        }
                    });
        }
        return rows;
    }

    private static Integer toInt(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }

    static Map<String, Object> round(Options options, String mode, Path dir) {
        int depth = Integer.parseInt(mode.substring(0, mode.indexOf('-')));
        boolean extra = mode.endsWith("-extra");
        List<String> skills = new ArrayList<>(TYPES);
        if (extra) {
            skills.addAll(0, ABSENT);
        }
        int inFlight = options.integer("in-flight", 64);
        Duration warmup = options.seconds("warmup-seconds", 5);
        Duration window = options.seconds("window", 20);
        Counting counting = new Counting(inFlight);
        try (Target target = Target.start(dir, Map.of()); BacklogLoader loader = new BacklogLoader(dir)) {
            Bench.log("  %s: loading %,d pending tasks", mode, depth);
            BacklogLoader.Timings loaded = loader.load(depth, TYPES, options.integer("priorities", 5));
            double loadSeconds = loaded.total();
            Bench.log("  %s: loaded in %.1f s; %d workers, %d jobs in flight, warm-up %d s, window %d s", mode,
                    loadSeconds, options.integer("workers", 8), inFlight, warmup.toSeconds(), window.toSeconds());
            try (DriverWorkers workers = new DriverWorkers(target, "backlog", options.integer("workers", 8), skills,
                    options.seconds("poll-timeout", 5), counting)) {
                // More jobs than the window can take (5,000/s): the loop ends at its deadline, after the window.
                Duration loop = warmup.plus(window).plusSeconds(1);
                int enough = (int) Math.min(5_000_000, loop.toSeconds() * 5_000);
                Thread load = new Thread(() -> Load.closedLoop(target, enough, inFlight, counting.completion, loop),
                        "backlog-load");
                load.setDaemon(true);
                load.start();
                Bench.sleep(warmup);
                counting.reset();
                long jobs0 = counting.jobs.get();
                long backlog0 = counting.backlog.get();
                Prometheus before = target.metrics();
                Target.CpuTimes cpu0 = target.cpu();
                String load0 = Report.loadAverage();
                Bench.sleep(window);
                long jobs = counting.jobs.get() - jobs0;
                long backlog = counting.backlog.get() - backlog0;
                Target.CpuTimes cpu1 = target.cpu();
                Prometheus after = target.metrics();
                join(load);
                double seconds = (cpu1.nanoTime() - cpu0.nanoTime()) / 1e9;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("mode", mode);
                row.put("depth", depth);
                row.put("skills", extra ? "all+absent" : "all");
                row.put("load_s", Target.round2(loadSeconds));
                row.put("load_insert_s", Target.round2(loaded.insert()));
                row.put("load_vacuum_s", Target.round2(loaded.vacuum()));
                row.put("load_checkpoint_s", Target.round2(loaded.checkpoint()));
                row.put("window_s", Target.round2(seconds));
                row.put("jobs_per_s", Target.round2(jobs / seconds));
                row.put("tasks_per_s", Target.round2((jobs + backlog) / seconds));
                row.put("backlog_tasks_taken", backlog);
                Map<String, Object> e2e = counting.endToEnd.summaryMillis();
                row.put("e2e_p50_ms", e2e.get("p50_ms"));
                row.put("e2e_p99_ms", e2e.get("p99_ms"));
                row.put("orch_dispatch_p99_ms", Scenarios.histogramMillis(before, after, 0.99));
                row.put("orch_dispatch_max_ms", DriverScenario.dispatchMaxMillis(before, after));
                double tasks = Math.max(1, jobs + backlog);
                double jvm = (cpu1.orchestrator() - cpu0.orchestrator()) * 1000 / tasks;
                double postgres = (cpu1.postgres() - cpu0.postgres()) * 1000 / tasks;
                row.put("cpu_ms_per_task_jvm", Target.round2(jvm));
                row.put("cpu_ms_per_task_postgres", Target.round2(postgres));
                row.put("cpu_ms_per_task_server", Target.round2(jvm + postgres));
                row.putAll(Scenarios.prefixed("cores_", cpu1.coresUsedSince(cpu0)));
                row.put("pending_after", loader.pending());
                row.put("failed_results", counting.completion.failed.get());
                row.put("worker_errors", workers.errors());
                row.put("load_avg_before", Double.valueOf(load0));
                row.put("load_avg_after", Double.valueOf(Report.loadAverage()));
                return row;
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(120).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
