package io.rxon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent load driver of issue 13, in Java: 8 workers each long-polling for one task at a
 * time over plain HTTP; one client submitting echo jobs closed-loop (64 in flight) or open-loop at
 * fixed rates (up to 256 connections, so a slow submission never delays the next); 500 warm-up and
 * 5,000 measured jobs per round, a fresh orchestrator per round, rounds interleaved.
 */
final class DriverScenario {

    static final String CLOSED = "closed";

    static final List<String> COLUMNS = List.of("mode", "offered_per_s", "jobs", "completed", "seconds",
            "jobs_per_s", "e2e_p50_ms", "e2e_p99_ms", "e2e_max_ms", "orch_dispatch_p99_ms", "orch_dispatch_max_ms",
            "orch_dispatch_max_gauge_ms", "stalled", "cpu_ms_per_job_jvm", "cpu_ms_per_job_jvm_jit",
            "cpu_ms_per_job_postgres",
            "cpu_ms_per_job_server", "cpu_ms_per_job_bench", "tasks_per_worker_min", "tasks_per_worker_max",
            "load_avg_before");

    private DriverScenario() {}

    /** Modes in the order of one run: closed loop (unless {@code --closed=false}), then every rate. */
    static List<String> modes(Options options) {
        List<String> modes = new ArrayList<>();
        if (Boolean.parseBoolean(options.string("closed", "true"))) {
            modes.add(CLOSED);
        }
        options.integers("rates", "200,400").forEach(rate -> modes.add(Integer.toString(rate)));
        return modes;
    }

    static List<Map<String, Object>> run(Options options, Path work) {
        return Interleaved.run("driver", modes(options), options.integer("runs", 1),
                Boolean.parseBoolean(options.string("warm-round", "true")), work, COLUMNS,
                (mode, run, dir) -> round(options, mode, dir, profileFile(options, mode, run)));
    }

    /**
     * With {@code --profile}, run 0 (the warm round, left out of the medians) records JFR in the
     * orchestrator during its measured phase; the summary is printed after the round.
     */
    private static Path profileFile(Options options, String mode, int run) {
        if (run != 0 || !options.flag("profile")) {
            return null;
        }
        String stamp = java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = Path.of(options.string("out", "bench/results"))
                .resolve("driver-" + mode + "-" + stamp + ".jfr").toAbsolutePath();
        file.getParent().toFile().mkdirs();
        return file;
    }

    static Map<String, Object> round(Options options, String mode, Path dir, Path jfr) {
        Map<String, Object> row = measure(options, mode, dir, jfr);
        if (jfr != null && jfr.toFile().isFile()) {
            try {
                JfrSummary.summarise(jfr, options.integer("top", 25), System.out);
            } catch (Exception e) {
                Bench.log("JFR summary failed: %s", e);
            }
        }
        return row;
    }

    private static Map<String, Object> measure(Options options, String mode, Path dir, Path jfr) {
        return measure(options, mode, jfr, Target.start(dir, Map.of()));
    }

    /**
     * One round of {@code mode} against {@code started} (a fresh orchestrator, or replicas behind a
     * proxy: {@link ReplicasScenario}), which it stops at the end.
     */
    static Map<String, Object> measure(Options options, String mode, Path jfr, Target started) {
        int jobs = options.integer("jobs", 5_000);
        int warmup = options.integer("warmup", 500);
        int inFlight = options.integer("in-flight", 64);
        int connections = options.integer("connections", 256);
        Duration timeout = options.seconds("timeout", 120);
        boolean closed = CLOSED.equals(mode);
        double rate = closed ? 0 : Double.parseDouble(mode);
        Scenarios.Recorder recorder = new Scenarios.Recorder(inFlight);
        try (Target target = started;
                DriverWorkers workers = new DriverWorkers(target, "driver", options.integer("workers", 8),
                        List.of(SimWorkers.SKILL), options.seconds("poll-timeout", 5), recorder)) {
            awaitParked(target, options.integer("workers", 8));
            Bench.log("  %s: warm-up %d jobs", mode, warmup);
            phase(target, closed, rate, warmup, inFlight, connections, recorder, timeout);
            recorder.reset();
            long[] tasks0 = workers.tasksPerWorker();
            Prometheus before = target.metrics();
            Target.CpuTimes cpu0 = target.cpu();
            Map<String, Double> threads0 = target.jvmThreadCpu();
            String load0 = Report.loadAverage();
            Bench.log("  %s: measuring %d jobs", mode, jobs);
            if (jfr != null) {
                target.startJfr(jfr);
            }
            Load.Phase phase = phase(target, closed, rate, jobs, inFlight, connections, recorder, timeout);
            Target.CpuTimes cpu1 = target.cpu();
            Map<String, Double> threads1 = target.jvmThreadCpu();
            if (jfr != null) {
                target.stopJfr();
            }
            Prometheus after = target.metrics();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", closed ? CLOSED + " (" + inFlight + " in flight)" : "open " + mode + "/s");
            row.put("offered_per_s", closed ? null : rate);
            row.put("jobs", phase.submitted());
            row.put("completed", phase.completed());
            row.put("submit_errors", phase.submitErrors());
            row.put("failed_results", recorder.completion.failed.get());
            row.put("seconds", Target.round2(phase.totalSeconds()));
            row.put("jobs_per_s", Target.round2(phase.jobsPerSecond()));
            Map<String, Object> e2e = recorder.endToEnd.summaryMillis();
            row.put("e2e_p50_ms", e2e.get("p50_ms"));
            row.put("e2e_p99_ms", e2e.get("p99_ms"));
            row.put("e2e_max_ms", e2e.get("max_ms"));
            row.put("orch_dispatch_p50_ms", Scenarios.histogramMillis(before, after, 0.5));
            row.put("orch_dispatch_p99_ms", Scenarios.histogramMillis(before, after, 0.99));
            Double dispatchMax = dispatchMaxMillis(before, after);
            row.put("orch_dispatch_max_ms", dispatchMax);
            // Micrometer's max decays over minutes, so on a fresh orchestrator it also covers the warm-up.
            row.put("orch_dispatch_max_gauge_ms",
                    Target.round2(after.sum("rxon_dispatch_latency_seconds_max") * 1000));
            double stallMillis = options.decimal("stall-ms", 1000);
            row.put("stalled", phase.completed() < phase.submitted() || phase.submitted() < jobs
                    || dispatchMax == null || dispatchMax > stallMillis);
            double done = Math.max(1, phase.completed());
            row.put("cpu_ms_per_job_jvm", Target.round2((cpu1.orchestrator() - cpu0.orchestrator()) * 1000 / done));
            // The JVM's share by thread group: the JIT compiling is most of a fresh orchestrator's CPU per job.
            threads1.forEach((group, seconds) -> row.put("cpu_ms_per_job_jvm_" + group,
                    Target.round2((seconds - threads0.getOrDefault(group, 0.0)) * 1000 / done)));
            row.put("cpu_ms_per_job_postgres", Target.round2((cpu1.postgres() - cpu0.postgres()) * 1000 / done));
            row.put("cpu_ms_per_job_server", Target.round2((cpu1.orchestrator() - cpu0.orchestrator()
                    + cpu1.postgres() - cpu0.postgres()) * 1000 / done));
            row.put("cpu_ms_per_job_bench", Target.round2((cpu1.bench() - cpu0.bench()) * 1000 / done));
            row.putAll(Scenarios.prefixed("cores_", cpu1.coresUsedSince(cpu0)));
            long[] tasks1 = workers.tasksPerWorker();
            long min = Long.MAX_VALUE;
            long max = 0;
            List<Long> perWorker = new ArrayList<>();
            for (int i = 0; i < tasks1.length; i++) {
                long count = tasks1[i] - tasks0[i];
                perWorker.add(count);
                min = Math.min(min, count);
                max = Math.max(max, count);
            }
            row.put("tasks_per_worker_min", min);
            row.put("tasks_per_worker_max", max);
            row.put("tasks_per_worker", perWorker);
            row.put("worker_errors", workers.errors());
            row.put("load_avg_before", Double.valueOf(load0));
            row.put("load_avg_after", Double.valueOf(Report.loadAverage()));
            return row;
        }
    }

    private static Load.Phase phase(Target target, boolean closed, double rate, int jobs, int inFlight,
            int connections, Scenarios.Recorder recorder, Duration timeout) {
        if (closed) {
            // One client thread (own HTTP connection) per job in flight: exactly inFlight unfinished at any time.
            return Load.closedLoop(target, jobs, inFlight, recorder.completion, timeout);
        }
        Duration duration = Duration.ofMillis(Math.round(jobs * 1000.0 / rate));
        return Load.openLoop(target, rate, duration, connections, recorder.completion, timeout);
    }

    /**
     * The largest dispatch latency observed between two scrapes: the upper bound of the highest
     * finite bucket that gained observations. A scrape taken while tasks are dispatched may see
     * the cumulative buckets mid-update (a few counts apart), so only when the {@code +Inf} bucket
     * gained clearly more than the largest finite one (beyond Micrometer's 30 s range) is the
     * maximum unknown: {@code null}.
     */
    static Double dispatchMaxMillis(Prometheus before, Prometheus after) {
        java.util.TreeMap<Double, Double> buckets = after.buckets("rxon_dispatch_latency_seconds");
        Map<Double, Double> earlier = before.buckets("rxon_dispatch_latency_seconds");
        double previous = 0;
        double max = Double.NaN;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            double delta = bucket.getValue() - earlier.getOrDefault(bucket.getKey(), 0.0);
            if (Double.isInfinite(bucket.getKey())) {
                return delta - previous > Math.max(5, 0.01 * delta) ? null
                        : Double.isNaN(max) ? null : Target.round2(max * 1000);
            }
            if (delta > previous) {
                max = bucket.getKey();
                previous = delta;
            }
        }
        return Double.isNaN(max) ? null : Target.round2(max * 1000);
    }

    /** Waits (up to 30 s) until the orchestrator reports all workers parked in their long-polls. */
    static void awaitParked(Target target, int workers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (target.metrics().sum("rxon_workers_waiting") >= workers) {
                return;
            }
            Bench.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the " + workers + " workers did not all park; see " + target.log());
    }
}
