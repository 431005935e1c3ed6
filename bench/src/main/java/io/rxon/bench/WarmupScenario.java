package io.rxon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13, item 4: how much slower is a fresh orchestrator than a warm one? The driver shape
 * (8 one-task long-poll HTTP workers, 64 echo jobs in flight) runs from the instant the
 * orchestrator answers ready, without any warm-up, for {@code --jobs} jobs; a sampler reads the
 * results accepted and the CPU of the orchestrator and its PostgreSQL every second. The first
 * {@code --first-seconds} after ready are compared with the steady state: every job after the
 * first {@code --steady-after} (30,000) until the end.
 */
final class WarmupScenario {

    static final String MODE = "closed from start";

    static final List<String> COLUMNS = List.of("mode", "start_s", "jobs", "completed", "first_s_jobs_per_s",
            "steady_jobs_per_s", "steady_over_first", "best_window_jobs_per_s", "best_over_first",
            "first_10s_jobs_per_s", "first_cpu_ms_per_job_jvm", "steady_cpu_ms_per_job_jvm",
            "first_cpu_ms_per_job_jvm_jit", "steady_cpu_ms_per_job_jvm_jit",
            "first_cpu_ms_per_job_postgres", "steady_cpu_ms_per_job_postgres", "jobs_per_s_by_5s", "load_avg_before");

    /** One sample: seconds since ready, results so far, CPU seconds so far. */
    private record Sample(double seconds, long completed, double jvm, double postgres, double bench, double jit,
            double gc) {}

    private WarmupScenario() {}

    static List<Map<String, Object>> run(Options options, Path work) {
        // What is measured is the orchestrator's warm-up, not this harness's: a fresh harness JVM spends ≈ 2 ms of
        // CPU per job on its own JIT in its first 30 s (0.7 ms warm), on the same 2 cores. So the harness first
        // drives a throwaway orchestrator (a driver round, not reported), as the Python driver needs no JIT.
        int harnessJobs = options.integer("harness-warmup", 8_000);
        if (harnessJobs > 0) {
            Bench.log("warmup: warming the harness with %d jobs on a throwaway orchestrator", harnessJobs);
            DriverScenario.round(new Options(new String[] {"--jobs=" + harnessJobs, "--warmup=500"}),
                    DriverScenario.CLOSED, work.resolve("warmup-harness").toAbsolutePath(), null);
        }
        return Interleaved.run("warmup", List.of(MODE), options.integer("runs", 1), false, work, COLUMNS,
                (mode, run, dir) -> round(options, dir));
    }

    static Map<String, Object> round(Options options, Path dir) {
        int jobs = options.integer("jobs", 36_000);
        int steadyAfter = options.integer("steady-after", 30_000);
        double firstSeconds = options.decimal("first-seconds", 30);
        int workerCount = options.integer("workers", 8);
        String load0 = Report.loadAverage();
        Scenarios.Recorder recorder = new Scenarios.Recorder(options.integer("in-flight", 64));
        long launched = System.nanoTime();
        try (Target target = Target.start(dir, Map.of())) {
            long ready = System.nanoTime();
            List<Sample> samples = new ArrayList<>();
            Target.CpuTimes cpu0 = target.cpu();
            Map<String, Double> threads0 = target.jvmThreadCpu();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "warmup-sampler");
                thread.setDaemon(true);
                return thread;
            });
            Runnable sample = () -> {
                Target.CpuTimes cpu = target.cpu();
                Map<String, Double> threads = target.jvmThreadCpu();
                synchronized (samples) {
                    samples.add(new Sample((cpu.nanoTime() - ready) / 1e9, recorder.completion.accepted.get(),
                            cpu.orchestrator() - cpu0.orchestrator(), cpu.postgres() - cpu0.postgres(),
                            cpu.bench() - cpu0.bench(), threads.get("jit") - threads0.get("jit"),
                            threads.get("gc") - threads0.get("gc")));
                }
            };
            sample.run();
            sampler.scheduleAtFixedRate(sample, 1000 - (System.nanoTime() - ready) / 1_000_000, 1000,
                    TimeUnit.MILLISECONDS);
            Load.Phase phase;
            try (DriverWorkers workers = new DriverWorkers(target, "warm", workerCount, List.of(SimWorkers.SKILL),
                    options.seconds("poll-timeout", 5), recorder)) {
                DriverScenario.awaitParked(target, workerCount);
                Bench.log("  warm-up: %d jobs from %.1f s after ready", jobs, (System.nanoTime() - ready) / 1e9);
                phase = Load.closedLoop(target, jobs, options.integer("in-flight", 64), recorder.completion,
                        options.seconds("timeout", 600));
                sampler.shutdown();
                sampler.awaitTermination(5, TimeUnit.SECONDS);
                sample.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return row(samples, phase, jobs, steadyAfter, firstSeconds, (ready - launched) / 1e9, load0);
        }
    }

    private static Map<String, Object> row(List<Sample> samples, Load.Phase phase, int jobs, int steadyAfter,
            double firstSeconds, double startSeconds, String load0) {
        Sample first = at(samples, firstSeconds);
        Sample tenth = at(samples, 10);
        Sample last = samples.get(samples.size() - 1);
        Sample steady = samples.stream().filter(s -> s.completed() >= steadyAfter).findFirst().orElse(last);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", MODE);
        row.put("start_s", Target.round2(startSeconds));
        row.put("jobs", phase.submitted());
        row.put("completed", phase.completed());
        row.put("first_s", firstSeconds);
        row.put("first_s_jobs_per_s", Target.round2(first.completed() / first.seconds()));
        double steadyJobs = last.completed() - steady.completed();
        double steadySeconds = last.seconds() - steady.seconds();
        double steadyRate = steadySeconds > 0 ? steadyJobs / steadySeconds : Double.NaN;
        row.put("steady_from_job", steady.completed());
        row.put("steady_jobs", (long) steadyJobs);
        row.put("steady_jobs_per_s", Target.round2(steadyRate));
        row.put("steady_over_first", Target.round2(steadyRate / (first.completed() / first.seconds())));
        row.put("first_10s_jobs_per_s", Target.round2(tenth.completed() / tenth.seconds()));
        // The best warm window as well: after 30,000 jobs PostgreSQL's CPU per job has grown (bench/README.md), so
        // "steady" alone would flatter the first seconds.
        double best = 0;
        for (Sample from : samples) {
            Sample to = at(samples, from.seconds() + firstSeconds);
            if (from.seconds() >= firstSeconds && to.seconds() - from.seconds() >= firstSeconds - 0.5) {
                best = Math.max(best, (to.completed() - from.completed()) / (to.seconds() - from.seconds()));
            }
        }
        row.put("best_window_jobs_per_s", Target.round2(best));
        row.put("best_over_first", Target.round2(best / (first.completed() / first.seconds())));
        row.put("first_cpu_ms_per_job_jvm", perJob(first.jvm(), first.completed()));
        row.put("steady_cpu_ms_per_job_jvm", perJob(last.jvm() - steady.jvm(), steadyJobs));
        row.put("first_cpu_ms_per_job_postgres", perJob(first.postgres(), first.completed()));
        row.put("steady_cpu_ms_per_job_postgres", perJob(last.postgres() - steady.postgres(), steadyJobs));
        row.put("first_cpu_ms_per_job_jvm_jit", perJob(first.jit(), first.completed()));
        row.put("steady_cpu_ms_per_job_jvm_jit", perJob(last.jit() - steady.jit(), steadyJobs));
        row.put("first_cpu_ms_per_job_jvm_gc", perJob(first.gc(), first.completed()));
        row.put("steady_cpu_ms_per_job_jvm_gc", perJob(last.gc() - steady.gc(), steadyJobs));
        row.put("first_cpu_ms_per_job_bench", perJob(first.bench(), first.completed()));
        row.put("steady_cpu_ms_per_job_bench", perJob(last.bench() - steady.bench(), steadyJobs));
        row.put("orchestrator_jvm_options", System.getProperty("rxon.jvm-options.orchestrator", ""));
        List<Long> byFive = new ArrayList<>();
        for (int t = 5; t <= 60; t += 5) {
            byFive.add(Math.round((at(samples, t).completed() - at(samples, t - 5).completed()) / 5.0));
        }
        row.put("jobs_per_s_by_5s", byFive);
        List<Long> perSecond = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            perSecond.add(samples.get(i).completed() - samples.get(i - 1).completed());
        }
        row.put("jobs_per_second", perSecond);
        row.put("load_avg_before", Double.valueOf(load0));
        row.put("load_avg_after", Double.valueOf(Report.loadAverage()));
        return row;
    }

    /** The last sample taken at or before {@code seconds} after ready (the first one if none). */
    private static Sample at(List<Sample> samples, double seconds) {
        Sample found = samples.get(0);
        for (Sample sample : samples) {
            if (sample.seconds() <= seconds + 0.05) {
                found = sample;
            }
        }
        return found;
    }

    private static Double perJob(double cpuSeconds, double jobs) {
        return jobs <= 0 ? null : Target.round2(cpuSeconds * 1000 / jobs);
    }
}
