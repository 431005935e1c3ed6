package io.rxon.bench;

import io.rxon.e2e.ClientApi;
import io.rxon.e2e.LocalCluster;
import io.rxon.e2e.ManagedProcess;
import io.rxon.e2e.RoundRobinProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The orchestrator under test: the packaged application started by the e2e harness
 * ({@link LocalCluster}, embedded PostgreSQL, fresh data directory), plus what the benchmarks read
 * from outside: its Prometheus metrics, RSS, CPU time (JVM and PostgreSQL processes), forced GC and
 * JFR recordings through {@code jcmd}. With {@link #start(Path, Map, int)} it is several replicas
 * on the first one's PostgreSQL behind a round-robin TCP proxy: {@link #url()} is the proxy's,
 * metrics and CPU times are those of all replicas added up (JFR, GC and RSS stay the first's).
 */
public final class Target implements AutoCloseable {

    /** Ticks per second of /proc CPU times (USER_HZ, 100 on every Linux we run on). */
    private static final double CLOCK_TICKS = 100.0;

    private final Path dataDir;
    private final LocalCluster cluster;
    private final String workerToken = randomToken();
    private final String clientToken = randomToken();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ManagedProcess process;
    private final List<ManagedProcess> replicas = new ArrayList<>();
    private final JvmThreadCpu threadCpu = new JvmThreadCpu();
    private RoundRobinProxy proxy;

    /** Orchestrators still running, stopped by a shutdown hook when the harness is interrupted. */
    private static final java.util.Set<Target> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Target::close), "stop-orchestrators"));
    }

    private Target(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
        this.cluster = new LocalCluster(this.dataDir, new LocalCluster.Timing(Duration.ofSeconds(60), Duration.ofSeconds(15)));
    }

    /**
     * Starts an orchestrator in a fresh {@code dataDir}, with rate limits off (they are per worker
     * and per client; the benchmark's client would hit them) and the given extra environment.
     */
    public static Target start(Path dataDir, Map<String, String> extraEnvironment) {
        deleteRecursively(dataDir);
        Target target = new Target(dataDir);
        Map<String, String> env = new HashMap<>();
        env.put("RXON_WORKER_TOKEN", target.workerToken);
        env.put("RXON_CLIENT_TOKEN", target.clientToken);
        env.put("RXON_ORCHESTRATOR_RATE_LIMITS_ENABLED", "false");
        env.put("RXON_ORCHESTRATOR_TIMING_SWEEP_INTERVAL", "1s");
        env.putAll(extraEnvironment);
        RUNNING.add(target);
        target.process = target.cluster.startOrchestrator(env);
        return target;
    }

    /**
     * Starts {@code replicas} orchestrator processes on the first one's embedded PostgreSQL (the
     * others with the same environment, {@link LocalCluster#startReplica}) behind a round-robin TCP
     * proxy that every client and worker of the benchmark goes through, also for one replica, so
     * that the proxy's hop is in every figure alike.
     */
    public static Target start(Path dataDir, Map<String, String> extraEnvironment, int replicas) {
        Target target = start(dataDir, extraEnvironment);
        try {
            List<Integer> ports = new ArrayList<>(List.of(port(target.cluster.orchestratorUrl())));
            for (int i = 1; i < replicas; i++) {
                int port = ManagedProcess.freePort();
                target.replicas.add(target.cluster.startReplica("replica-" + i, port));
                ports.add(port);
            }
            target.proxy = new RoundRobinProxy(ports);
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private static int port(String url) {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** The orchestrator processes: the first one, then its replicas. */
    private List<ManagedProcess> orchestrators() {
        List<ManagedProcess> all = new ArrayList<>(List.of(process));
        all.addAll(replicas);
        return all;
    }

    /**
     * Starts a packaged worker process connected to this orchestrator (with its worker token);
     * {@code extra} adds environment. It is stopped with the orchestrator.
     */
    public ManagedProcess startWorker(String workerId, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("RXON_WORKER_TOKEN", workerToken);
        return cluster.startWorker(workerId, env);
    }

    public String url() {
        return proxy != null ? proxy.url() : cluster.orchestratorUrl();
    }

    public String socketUrl() {
        return proxy != null ? proxy.socketUrl() : cluster.socketUrl();
    }

    public String workerToken() {
        return workerToken;
    }

    public ClientApi client() {
        return new ClientApi(url(), clientToken);
    }

    public String clientToken() {
        return clientToken;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.log();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Every orchestrator's {@code /q/metrics}, read directly: sums and histogram buckets add up over replicas. */
    public Prometheus metrics() {
        try {
            StringBuilder text = new StringBuilder();
            for (String base : directUrls()) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                        .timeout(Duration.ofSeconds(30)).GET().build();
                text.append(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).append('\n');
            }
            return Prometheus.parse(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> directUrls() {
        List<String> urls = new ArrayList<>(List.of(cluster.orchestratorUrl()));
        replicas.forEach(replica -> urls.add("http://127.0.0.1:" + replica.httpPort()));
        return urls;
    }

    /** Heap in use according to the orchestrator's own metrics (all heap pools). */
    public long heapUsedBytes() {
        return (long) metrics().sum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** Forces a full GC (jcmd GC.run) so that heap figures compare live data, then waits a little. */
    public void gc() {
        jcmd("GC.run");
        Bench.sleep(Duration.ofMillis(500));
    }

    public String jcmd(String... command) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid()));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(120, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "jcmd interrupted";
        }
    }

    /** VmRSS of the orchestrator JVM, in bytes. */
    public long rssBytes() {
        return rssBytes(pid());
    }

    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU seconds (user + system) used so far by the orchestrator JVM (all replicas'), its PostgreSQL,
     * and this process.
     */
    public CpuTimes cpu() {
        double postgres = 0;
        for (long pid : postgresPids()) {
            postgres += cpuSeconds(pid);
        }
        double orchestrators = 0;
        for (ManagedProcess orchestrator : orchestrators()) {
            orchestrators += cpuSeconds(orchestrator.pid());
        }
        return new CpuTimes(System.nanoTime(), orchestrators, postgres, cpuSeconds(ProcessHandle.current().pid()));
    }

    /**
     * CPU seconds used so far by the orchestrator JVMs' threads, grouped ({@link JvmThreadCpu}); with
     * replicas, their threads are added up.
     */
    public Map<String, Double> jvmThreadCpu() {
        return threadCpu.read(orchestrators().stream().map(ManagedProcess::pid).toList());
    }

    /** CPU seconds at one instant; {@link #sharesSince} turns two of them into cores used. */
    public record CpuTimes(long nanoTime, double orchestrator, double postgres, double bench) {

        public Map<String, Object> coresUsedSince(CpuTimes before) {
            double seconds = (nanoTime - before.nanoTime) / 1e9;
            Map<String, Object> cores = new LinkedHashMap<>();
            cores.put("orchestrator_jvm", round2((orchestrator - before.orchestrator) / seconds));
            cores.put("postgres", round2((postgres - before.postgres) / seconds));
            cores.put("bench_clients_and_workers", round2((bench - before.bench) / seconds));
            return cores;
        }
    }

    /** The embedded PostgreSQL: the postmaster whose command line names our data directory, and its children. */
    private List<Long> postgresPids() {
        String marker = dataDir.toString();
        List<Long> roots = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    String[] stat = statFields(pid);
                    if (stat == null) {
                        continue;
                    }
                    all.add(new long[] {pid, Long.parseLong(stat[1])});
                    if (cmdline.contains("postgres") && cmdline.contains(marker) && !cmdline.contains("java")) {
                        roots.add(pid);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Long> result = new ArrayList<>(roots);
        for (long[] entry : all) {
            if (roots.contains(entry[1]) && !result.contains(entry[0])) {
                result.add(entry[0]);
            }
        }
        return result;
    }

    /**
     * Samples what the PostgreSQL backends are doing (their process titles: {@code idle},
     * {@code idle in transaction}, {@code COMMIT waiting}...; "waiting" means a heavyweight lock wait)
     * every 200 ms until the returned handle is closed: a poor man's wait-event profile.
     */
    public PostgresStates samplePostgres() {
        PostgresStates states = new PostgresStates();
        Thread thread = new Thread(() -> {
            while (!states.stopped) {
                for (long pid : postgresPids()) {
                    try {
                        String title = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                                StandardCharsets.UTF_8).replace('\0', ' ').trim();
                        if (title.startsWith("postgres: ") && title.contains("127.0.0.1(")) {
                            String state = title.substring(title.indexOf(')') + 1).trim();
                            states.counts.merge(state.isEmpty() ? "?" : state, 1L, Long::sum);
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // the backend ended
                    }
                }
                Bench.sleep(java.time.Duration.ofMillis(200));
            }
        }, "postgres-sampler");
        thread.setDaemon(true);
        thread.start();
        return states;
    }

    /** Backend states counted by {@link #samplePostgres()}. */
    public static final class PostgresStates {
        final Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean stopped;

        /** Stops sampling; the share of samples per state, most frequent first. */
        public Map<String, Object> stop() {
            stopped = true;
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Object> shares = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(entry -> shares.put(entry.getKey(), round2(100.0 * entry.getValue() / total)));
            return shares;
        }
    }

    static double cpuSeconds(long pid) {
        String[] fields = statFields(pid);
        if (fields == null) {
            return 0;
        }
        // fields after the command: state(0) ppid(1) ... utime(11) stime(12)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    }

    /** /proc/pid/stat split after the parenthesised command name. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Starts a JFR recording (profile settings) into {@code file}. */
    public void startJfr(Path file) {
        System.out.println("  JFR: " + jcmd("JFR.start", "name=bench", "settings=profile",
                "filename=" + file.toAbsolutePath()).trim().replace('\n', ' '));
    }

    public void stopJfr() {
        System.out.println("  JFR: " + jcmd("JFR.stop", "name=bench").trim().replace('\n', ' '));
    }

    @Override
    public void close() {
        if (RUNNING.remove(this)) {
            if (proxy != null) {
                proxy.close();
            }
            cluster.close();
        }
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
