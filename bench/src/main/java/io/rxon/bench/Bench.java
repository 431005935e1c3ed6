package io.rxon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario harness: {@code Bench <scenario> [--key=value...]} starts the packaged orchestrator
 * (embedded PostgreSQL, a fresh data directory per run) and drives it with simulated workers,
 * then prints a table and JSON (also written to {@code --out}, default {@code bench/results}).
 *
 * <pre>
 * throughput   --modes=longpoll,push --runs=1 --jobs=10000 --warmup=2000 --workers=32|16 --slots=4 --clients=8
 * latency      --modes=longpoll,push --runs=1 --rate=(50% of a probe) --duration=30
 * connections  --modes=longpoll,websocket --runs=1 --steps=1000,2500,5000,10000 --hb-threads=16 --hb-seconds=15
 * blob         --modes=longpoll --runs=1 --size-mb=256 --warmup-mb=32 --timeout=600
 * driver       --runs=1 --rates=200,400 --closed=true --jobs=5000 --warmup=500 --workers=8 --in-flight=64
 *              --connections=256 --poll-timeout=5 --timeout=120 --stall-ms=1000
 * backlog      --runs=1 --depths=0,10000,100000,1000000 --skills=all,extra --window=20 --warmup-seconds=5
 *              --workers=8 --in-flight=64 --priorities=5 --poll-timeout=5
 * warmup       --runs=1 --jobs=36000 --steady-after=30000 --first-seconds=30 --workers=8 --in-flight=64
 * replicas     --runs=1 --replicas=1,3 --jobs=5000 --warmup=500 --workers=8 --in-flight=64 --poll-timeout=5
 * all          throughput, latency, connections and blob with their defaults
 * jfr-summary  FILE.jfr [--top=25]
 * </pre>
 * {@code --profile} adds a run 0 per mode that records JFR in the orchestrator during its measured
 * phase and prints the summary; run 0 is reported but left out of the medians.
 */
public final class Bench {

    private static final List<String> THROUGHPUT_COLUMNS = List.of("mode", "workers", "slots", "jobs", "completed",
            "seconds", "jobs_per_s", "submit_per_s", "e2e_p50_ms", "e2e_p99_ms", "orch_dispatch_p99_ms",
            "cores_orchestrator_jvm", "cores_postgres", "cores_bench_clients_and_workers", "verified_finished_of_50",
            "failed_results", "load_avg_before");
    private static final List<String> LATENCY_COLUMNS = List.of("mode", "workers", "slots", "probe_max_jobs_per_s",
            "offered_per_s", "achieved_per_s", "jobs", "completed", "dispatch_p50_ms", "dispatch_p95_ms",
            "dispatch_p99_ms", "dispatch_max_ms", "e2e_p99_ms", "orch_dispatch_p99_ms", "cores_orchestrator_jvm",
            "cores_postgres", "cores_bench_clients_and_workers", "load_avg_before");
    private static final List<String> CONNECTION_COLUMNS = List.of("mode", "connected", "all_connected",
            "orch_waiting_workers", "register_per_s", "heap_mb", "rss_mb", "orch_threads",
            "heap_kb_per_registered_worker", "heap_kb_per_conn", "rss_kb_per_conn", "heap_kb_per_worker_all",
            "rss_kb_per_worker_all", "idle_polls_per_s", "idle_cores_orchestrator_jvm", "idle_cores_postgres", "hb_per_s",
            "hb_p50_ms",
            "hb_p99_ms", "hb_needed_per_s_at_15s_interval", "hb_cores_orchestrator_jvm", "hb_cores_postgres");

    private static final List<String> BLOB_COLUMNS = List.of("mode", "size_mb", "raw_put_s", "raw_put_mb_s",
            "raw_get_sha256_s", "raw_get_mb_s", "raw_total_s", "presign_ms", "upload_s", "upload_mb_s", "submit_ms",
            "job_s", "job_mb_s", "rxon_total_s", "rxon_total_mb_s", "rxon_over_raw", "local_sha256_s", "sha256_match",
            "orch_heap_mb_before", "orch_heap_mb_after", "orch_rss_mb_before", "orch_rss_mb_after",
            "worker_rss_mb_before", "worker_rss_mb_after", "cpu_s_orchestrator", "cpu_s_worker",
            "cpu_s_bench_client_and_s3proxy", "load_avg_before");

    /** Held so the setting sticks: the transports' per-connection INFO lines would drown the report. */
    private static final java.util.logging.Logger TRANSPORT_LOG = java.util.logging.Logger.getLogger("io.rxon");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        TRANSPORT_LOG.setLevel(java.util.logging.Level.WARNING);
        if (options.positional().isEmpty()) {
            System.out.println("usage: Bench throughput|latency|connections|blob|driver|backlog|warmup|replicas|workflow|all|jfr-summary [--key=value...]");
            System.exit(2);
        }
        String scenario = options.positional().get(0);
        if ("jfr-summary".equals(scenario)) {
            JfrSummary.main(options.positional().subList(1, options.positional().size()).toArray(String[]::new));
            return;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = Path.of(options.string("out", "bench/results"));
        Path work = Path.of(options.string("work", "bench/target/bench-work"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", Report.machineFacts());
        result.put("options", options.asMap());
        List<String> scenarios = "all".equals(scenario) ? List.of("throughput", "latency", "connections", "blob")
                : List.of(scenario);
        StringBuilder tables = new StringBuilder();
        for (String name : scenarios) {
            Map<String, Object> section = new LinkedHashMap<>();
            switch (name) {
                case "throughput" -> tables.append(repeated(options, "throughput", work, out, stamp, section,
                        List.of(Scenarios.LONG_POLL, Scenarios.PUSH), THROUGHPUT_COLUMNS));
                case "latency" -> tables.append(repeated(options, "latency", work, out, stamp, section,
                        List.of(Scenarios.LONG_POLL, Scenarios.PUSH), LATENCY_COLUMNS));
                case "connections" -> tables.append(repeated(options, "connections", work, out, stamp, section,
                        List.of(Connections.LONG_POLL, Connections.WEBSOCKET), CONNECTION_COLUMNS));
                case "blob" -> tables.append(repeated(options, "blob", work, out, stamp, section,
                        List.of(BlobPath.LONG_POLL), BLOB_COLUMNS));
                case "driver" -> tables.append(interleaved(options, "driver", section, DriverScenario.COLUMNS,
                        DriverScenario.run(options, work)));
                case "backlog" -> tables.append(interleaved(options, "backlog", section, BacklogScenario.COLUMNS,
                        BacklogScenario.run(options, work)));
                case "warmup" -> tables.append(interleaved(options, "warmup", section, WarmupScenario.COLUMNS,
                        WarmupScenario.run(options, work)));
                case "replicas" -> tables.append(interleaved(options, "replicas", section, ReplicasScenario.COLUMNS,
                        ReplicasScenario.run(options, work)));
                case "workflow" -> tables.append(interleaved(options, "workflow", section, WorkflowScenario.COLUMNS,
                        WorkflowScenario.run(options, work)));
                default -> throw new IllegalArgumentException("unknown scenario " + name);
            }
            result.put(name, section);
        }
        Path file = Report.write(out, scenario + "-" + stamp + ".json", result);
        System.out.println(tables);
        System.out.println("machine: " + Report.json(result.get("machine")));
        System.out.println("JSON written to " + file);
        System.exit(0);
    }

    private static String repeated(Options options, String scenario, Path work, Path out, String stamp,
            Map<String, Object> section, List<String> defaultModes, List<String> columns) {
        List<String> modes = options.strings("modes", String.join(",", defaultModes));
        int runs = options.integer("runs", 1);
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder tables = new StringBuilder();
        for (String mode : modes) {
            List<Map<String, Object>> modeRows = new ArrayList<>();
            // With --profile an extra run 0 records JFR; it is reported but left out of the medians (JFR costs CPU).
            // Connections record JFR only around the heartbeat phase of run 1, which then stays in.
            boolean connections = "connections".equals(scenario);
            boolean profile = options.flag("profile");
            for (int attempt = profile && !connections ? 0 : 1; attempt <= runs; attempt++) {
                int run = attempt;
                Path jfr = profile && (run == 0 || connections && run == 1)
                        ? out.resolve(scenario + "-" + mode + "-" + stamp + ".jfr").toAbsolutePath() : null;
                if (jfr != null) {
                    jfr.getParent().toFile().mkdirs();
                }
                log("%s %s run %d/%d (load average %s)", scenario, mode, run, runs, Report.loadAverage());
                Path dir = work.resolve(scenario + "-" + mode).toAbsolutePath();
                try {
                    switch (scenario) {
                        case "throughput" -> modeRows.add(run(Scenarios.throughput(options, mode, dir, jfr), run));
                        case "latency" -> modeRows.add(run(Scenarios.latency(options, mode, dir, jfr), run));
                        case "blob" -> modeRows.add(run(BlobPath.run(options, mode, dir, jfr), run));
                        default -> Connections.run(options, mode, dir, jfr).forEach(row -> modeRows.add(run(row, run)));
                    }
                } catch (RuntimeException e) {
                    log("%s %s run %d failed: %s", scenario, mode, run, e);
                    e.printStackTrace(System.out);
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("mode", mode);
                    failed.put("run", run);
                    failed.put("error", e.toString());
                    modeRows.add(failed);
                }
                System.out.println(Report.table(scenario + " " + mode + " run " + run, columns,
                        modeRows.subList(modeRows.size() - 1, modeRows.size())));
                if (jfr != null && jfr.toFile().isFile()) {
                    try {
                        JfrSummary.summarise(jfr, options.integer("top", 25), System.out);
                    } catch (Exception e) {
                        log("JFR summary failed: %s", e);
                    }
                }
            }
            rows.addAll(modeRows);
            List<Map<String, Object>> measured = modeRows.stream()
                    .filter(row -> !Integer.valueOf(0).equals(row.get("run"))).toList();
            if (runs > 1 && !"connections".equals(scenario)) {
                Map<String, Object> median = Report.median(measured);
                median.put("mode", mode + " (median of " + runs + ")");
                median.put("run", "median");
                rows.add(median);
            }
        }
        section.put("runs", rows);
        List<String> withRun = new ArrayList<>();
        withRun.add("run");
        withRun.addAll(columns);
        tables.append(Report.table(scenario + " (" + runs + " run(s) per mode; medians on 'median' rows"
                + (options.flag("profile") && !"connections".equals(scenario)
                        ? "; run 0 recorded JFR, not in the medians" : "") + ")",
                withRun, rows));
        return tables.toString();
    }

    /** The table of a scenario whose rounds were interleaved across modes ({@link Interleaved}). */
    private static String interleaved(Options options, String scenario, Map<String, Object> section,
            List<String> columns, List<Map<String, Object>> rows) {
        section.put("runs", rows);
        List<String> withRun = new ArrayList<>();
        withRun.add("run");
        withRun.addAll(columns);
        return Report.table(scenario + " (" + options.integer("runs", 1) + " interleaved run(s); medians on "
                + "'median' rows; a fresh orchestrator per round)", withRun, rows);
    }

    private static Map<String, Object> run(Map<String, Object> row, int run) {
        Map<String, Object> numbered = new LinkedHashMap<>();
        numbered.put("run", run);
        numbered.putAll(row);
        return numbered;
    }

    static void log(String format, Object... args) {
        System.out.printf("[%s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
