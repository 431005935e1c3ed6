package io.rxon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Throughput and dispatch latency with simulated echo workers, over long-poll or push dispatch. */
public final class Scenarios {

    static final String LONG_POLL = "longpoll";
    static final String PUSH = "push";

    private Scenarios() {}

    /** Settings shared by the throughput and latency runs of one mode. */
    record Setup(String mode, int workers, int slots, int clients, int httpClients) {
        static Setup of(Options options, String mode) {
            boolean push = PUSH.equals(mode);
            return new Setup(mode, options.integer("workers", push ? 16 : 32), push ? options.integer("slots", 4) : 1,
                    options.integer("clients", 8), options.integer("http-clients", 4));
        }
    }

    /** The recorder the simulated workers report into. */
    static class Recorder implements SimWorkers.Sink {
        final Latencies receive = new Latencies(200_000);
        final Latencies endToEnd = new Latencies(200_000);
        final Load.Completion completion;

        Recorder(int window) {
            completion = new Load.Completion(window);
        }

        @Override
        public void received(long sentNanos, long nowNanos) {
            if (sentNanos > 0) {
                receive.record(nowNanos - sentNanos);
            }
        }

        @Override
        public void completed(long sentNanos, long nowNanos, boolean accepted, Throwable error) {
            if (sentNanos > 0 && accepted) {
                endToEnd.record(nowNanos - sentNanos);
            }
            completion.done(accepted && error == null);
        }

        void reset() {
            receive.reset();
            endToEnd.reset();
        }
    }

    /** Orchestrator, workers connected and warmed up, for one mode. */
    static final class Rig implements AutoCloseable {
        final Target target;
        final SimWorkers workers;
        final Recorder recorder;
        final Setup setup;

        Rig(Path dir, Setup setup, int window) {
            this.setup = setup;
            this.recorder = new Recorder(window);
            this.target = Target.start(dir, Map.of());
            this.workers = new SimWorkers(target, setup.httpClients(), "w", recorder);
            boolean push = PUSH.equals(setup.mode());
            java.util.List<SimWorkers.Sim> sims = new java.util.ArrayList<>();
            for (int i = 0; i < setup.workers(); i++) {
                sims.add(workers.create(i, push));
            }
            SimWorkers.registerAll(sims, 4, Duration.ofSeconds(120));
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            for (SimWorkers.Sim sim : sims) {
                if (push) {
                    workers.startPush(sim, setup.slots(), true);
                } else {
                    workers.startPolling(sim, Duration.ofSeconds(5), deadline);
                }
            }
            if (!workers.awaitConnected(setup.workers(), Duration.ofSeconds(60))) {
                throw new IllegalStateException("only " + workers.connected() + " of " + setup.workers()
                        + " workers connected; see " + target.log());
            }
        }

        @Override
        public void close() {
            workers.close();
            target.close();
        }
    }

    /** Maximum end-to-end throughput: closed loop, {@code jobs} measured after {@code warmup}. */
    static Map<String, Object> throughput(Options options, String mode, Path dir, Path jfr) {
        Setup setup = Setup.of(options, mode);
        int jobs = options.integer("jobs", 10_000);
        int warmup = options.integer("warmup", 4_000);
        Duration timeout = options.seconds("timeout", 300);
        try (Rig rig = new Rig(dir, setup, options.integer("window", 512))) {
            Bench.log("  %s: %d workers x %d slots, %d clients; warm-up %d jobs", mode, setup.workers(),
                    setup.slots(), setup.clients(), warmup);
            Load.closedLoop(rig.target, warmup, setup.clients(), rig.recorder.completion, timeout);
            rig.recorder.reset();
            Prometheus before = rig.target.metrics();
            Target.CpuTimes cpu0 = rig.target.cpu();
            String load0 = Report.loadAverage();
            if (jfr != null) {
                rig.target.startJfr(jfr);
            }
            Bench.log("  %s: measuring %d jobs", mode, jobs);
            Target.PostgresStates postgres = rig.target.samplePostgres();
            Load.Phase phase = Load.closedLoop(rig.target, jobs, setup.clients(), rig.recorder.completion, timeout);
            Map<String, Object> backendStates = postgres.stop();
            Bench.log("  %s: PostgreSQL backends (%% of samples): %s", mode, backendStates);
            if (jfr != null) {
                rig.target.stopJfr();
            }
            Map<String, Object> cores = rig.target.cpu().coresUsedSince(cpu0);
            Prometheus after = rig.target.metrics();
            int verified = Load.verifyFinished(rig.target, phase.jobIds(), 50);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", mode);
            row.put("workers", setup.workers());
            row.put("slots", setup.slots());
            row.put("jobs", phase.submitted());
            row.put("completed", phase.completed());
            row.put("failed_results", rig.recorder.completion.failed.get());
            row.put("submit_errors", phase.submitErrors());
            row.put("seconds", Target.round2(phase.totalSeconds()));
            row.put("jobs_per_s", Target.round2(phase.jobsPerSecond()));
            row.put("submit_per_s", Target.round2(phase.submitted() / phase.submitSeconds()));
            Map<String, Object> e2e = rig.recorder.endToEnd.summaryMillis();
            row.put("e2e_p50_ms", e2e.get("p50_ms"));
            row.put("e2e_p99_ms", e2e.get("p99_ms"));
            row.put("orch_dispatch_p50_ms", histogramMillis(before, after, 0.5));
            row.put("orch_dispatch_p99_ms", histogramMillis(before, after, 0.99));
            row.putAll(prefixed("cores_", cores));
            row.put("verified_finished_of_50", verified);
            row.put("worker_errors", rig.workers.errors());
            row.put("load_avg_before", Double.valueOf(load0));
            row.put("load_avg_after", Double.valueOf(Report.loadAverage()));
            row.put("postgres_backend_states_pct", backendStates);
            return row;
        }
    }

    /**
     * Dispatch latency (submission to the worker holding the task) at a fixed offered rate; when no
     * {@code --rate} is given, a short closed-loop probe measures the maximum first and half of it is offered.
     */
    static Map<String, Object> latency(Options options, String mode, Path dir, Path jfr) {
        Setup setup = Setup.of(options, mode);
        Duration duration = options.seconds("duration", 30);
        try (Rig rig = new Rig(dir, setup, options.integer("window", 512))) {
            double rate = options.decimal("rate", 0);
            double probe = Double.NaN;
            if (rate <= 0) {
                Load.closedLoop(rig.target, options.integer("warmup", 3_000), setup.clients(),
                        rig.recorder.completion, Duration.ofSeconds(300));
                Load.Phase max = Load.closedLoop(rig.target, options.integer("probe-jobs", 3_000), setup.clients(),
                        rig.recorder.completion, Duration.ofSeconds(300));
                probe = max.jobsPerSecond();
                rate = Math.max(1, options.decimal("load", 0.5) * probe);
                Bench.log("  %s: probe max %.0f jobs/s, offering %.0f jobs/s for %d s", mode, probe, rate,
                        duration.toSeconds());
            } else {
                Load.closedLoop(rig.target, options.integer("warmup", 3_000), setup.clients(),
                        rig.recorder.completion, Duration.ofSeconds(300));
                Bench.log("  %s: offering %.0f jobs/s for %d s", mode, rate, duration.toSeconds());
            }
            rig.recorder.reset();
            Prometheus before = rig.target.metrics();
            Target.CpuTimes cpu0 = rig.target.cpu();
            String load0 = Report.loadAverage();
            if (jfr != null) {
                rig.target.startJfr(jfr);
            }
            // Open loop: enough client threads that a slow submission never holds back the next one's schedule.
            Load.Phase phase = Load.openLoop(rig.target, rate, duration, options.integer("open-clients", 48),
                    rig.recorder.completion, Duration.ofSeconds(60));
            if (jfr != null) {
                rig.target.stopJfr();
            }
            Map<String, Object> cores = rig.target.cpu().coresUsedSince(cpu0);
            Prometheus after = rig.target.metrics();
            Map<String, Object> receive = rig.recorder.receive.summaryMillis();
            Map<String, Object> e2e = rig.recorder.endToEnd.summaryMillis();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", mode);
            row.put("workers", setup.workers());
            row.put("slots", setup.slots());
            row.put("probe_max_jobs_per_s", Double.isNaN(probe) ? null : Target.round2(probe));
            row.put("offered_per_s", Target.round2(rate));
            row.put("achieved_per_s", Target.round2(phase.submitted() / phase.submitSeconds()));
            row.put("jobs", phase.submitted());
            row.put("completed", phase.completed());
            row.put("dispatch_p50_ms", receive.get("p50_ms"));
            row.put("dispatch_p95_ms", receive.get("p95_ms"));
            row.put("dispatch_p99_ms", receive.get("p99_ms"));
            row.put("dispatch_max_ms", receive.get("max_ms"));
            row.put("e2e_p50_ms", e2e.get("p50_ms"));
            row.put("e2e_p99_ms", e2e.get("p99_ms"));
            row.put("orch_dispatch_p50_ms", histogramMillis(before, after, 0.5));
            row.put("orch_dispatch_p99_ms", histogramMillis(before, after, 0.99));
            row.putAll(prefixed("cores_", cores));
            row.put("worker_errors", rig.workers.errors());
            row.put("load_avg_before", Double.valueOf(load0));
            row.put("load_avg_after", Double.valueOf(Report.loadAverage()));
            return row;
        }
    }

    /** A quantile of the orchestrator's own rxon_dispatch_latency (pending to claimed) between two scrapes. */
    static Double histogramMillis(Prometheus before, Prometheus after, double q) {
        String name = "rxon_dispatch_latency_seconds";
        TreeMap<Double, Double> a = after.buckets(name);
        if (a.isEmpty()) {
            return null;
        }
        double seconds = Prometheus.quantile(before.buckets(name), a, q);
        return Double.isNaN(seconds) || Double.isInfinite(seconds) ? null : Target.round2(seconds * 1000);
    }

    static Map<String, Object> prefixed(String prefix, Map<String, Object> values) {
        Map<String, Object> result = new LinkedHashMap<>();
        values.forEach((key, value) -> result.put(prefix + key, value));
        return result;
    }
}
