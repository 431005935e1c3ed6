package io.rxon.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An orchestrator and its workers on loopback, each a real process of the packaged applications,
 * sharing one data directory and one pair of tokens. The orchestrator keeps its port across
 * restarts, so workers find it again by themselves.
 */
public final class LocalCluster implements AutoCloseable {

    /** Timing that makes failures visible in seconds rather than the production half-minute. */
    public record Timing(Duration liveness, Duration heartbeat) {
        public static final Timing FAST = new Timing(Duration.ofSeconds(4), Duration.ofSeconds(1));
    }

    private final Path dataDir;
    private final Timing timing;
    private final int orchestratorPort = ManagedProcess.freePort();
    private final String workerToken = randomToken();
    private final String clientToken = randomToken();
    private final List<ManagedProcess> workers = new ArrayList<>();
    private final List<ManagedProcess> replicas = new ArrayList<>();
    private final Map<String, String> orchestratorEnvironment = new HashMap<>();
    private ManagedProcess orchestrator;

    public LocalCluster(Path dataDir, Timing timing) {
        this.dataDir = dataDir.toAbsolutePath();
        this.timing = timing;
    }

    public String orchestratorUrl() {
        return "http://127.0.0.1:" + orchestratorPort;
    }

    /** The token workers of this cluster authenticate with. */
    public String workerToken() {
        return workerToken;
    }

    /** The token of this cluster's API client. */
    public String clientToken() {
        return clientToken;
    }

    public ClientApi client() {
        return new ClientApi(orchestratorUrl(), clientToken);
    }

    public ManagedProcess startOrchestrator() {
        return startOrchestrator(Map.of());
    }

    /** Starts the orchestrator; {@code extra} adds or overrides environment (e.g. the auth mode). */
    public ManagedProcess startOrchestrator(Map<String, String> extra) {
        orchestratorEnvironment.putAll(extra);
        Map<String, String> env = baseEnvironment(dataDir.resolve("orchestrator"), orchestratorPort);
        env.putAll(orchestratorEnvironment);
        orchestrator = ManagedProcess.start("orchestrator", RxonHome.orchestratorJar(), orchestratorPort, env,
                dataDir.resolve("logs")).awaitReady(Duration.ofSeconds(120));
        return orchestrator;
    }

    /**
     * The first orchestrator's embedded PostgreSQL as its replicas reach it: its address from
     * {@code postmaster.pid}, its generated password from the file next to it.
     */
    public record Database(String address, String user, String password) {

        /** {@code jdbc:postgresql://host:port/rxon}, for tests that read the tables. */
        public String jdbcUrl() {
            return "jdbc:postgresql://" + address;
        }
    }

    /** The first orchestrator's embedded PostgreSQL; it must be running. */
    public Database database() {
        Path embedded = dataDir.resolve("orchestrator").resolve("postgres");
        try {
            // postmaster.pid's fourth line is the port the server listens on
            String address = "127.0.0.1:" + Files.readAllLines(embedded.resolve("postmaster.pid")).get(3).strip()
                    + "/rxon";
            return new Database(address, "rxon",
                    Files.readString(embedded.resolveSibling("postgres.password")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("the first orchestrator's embedded PostgreSQL is not running", e);
        }
    }

    /**
     * Starts another orchestrator process on {@code port} that uses the first one's embedded
     * PostgreSQL ({@link #database()}), the same tokens and the environment the first one was given
     * ({@link #startOrchestrator(Map)}): a replica, as behind a Kubernetes Service.
     */
    public ManagedProcess startReplica(String name, int port) {
        return startReplica(name, port, Map.of());
    }

    /** As {@link #startReplica(String, int)}, with {@code extra} environment (e.g. the bench's rate limits). */
    public ManagedProcess startReplica(String name, int port, Map<String, String> extra) {
        Database database = database();
        Map<String, String> env = baseEnvironment(dataDir.resolve(name), port);
        env.putAll(orchestratorEnvironment);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + database.address());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        env.putAll(extra);
        ManagedProcess replica = ManagedProcess.start(name, RxonHome.orchestratorJar(), port, env,
                dataDir.resolve("logs")).awaitReady(Duration.ofSeconds(120));
        replicas.add(replica);
        return replica;
    }

    private Map<String, String> baseEnvironment(Path data, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("RXON_DATA_DIR", data.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("RXON_WORKER_TOKEN", workerToken);
        env.put("RXON_CLIENT_TOKEN", clientToken);
        env.put("RXON_ORCHESTRATOR_TIMING_LIVENESS_TIMEOUT", seconds(timing.liveness()));
        env.put("RXON_ORCHESTRATOR_TIMING_SWEEP_INTERVAL", "500ms");
        return env;
    }

    public ManagedProcess orchestrator() {
        return orchestrator;
    }

    /**
     * Starts a worker. {@code extra} adds or overrides environment, e.g. {@code RXON_WORKER_DEVICES}
     * to declare a GPU, or {@code RXON_ORCHESTRATOR_URL} with {@code ws://} for push dispatch.
     */
    public ManagedProcess startWorker(String workerId, Map<String, String> extra) {
        int port = ManagedProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("RXON_ORCHESTRATOR_URL", orchestratorUrl());
        env.put("RXON_WORKER_ID", workerId);
        env.put("RXON_WORKER_TOKEN", workerToken);
        env.put("RXON_WORKER_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("RXON_WORKER_CONCURRENCY", "2");
        env.put("RXON_HEARTBEAT_INTERVAL", seconds(timing.heartbeat()));
        env.put("RXON_POLL_TIMEOUT", "5s");
        env.put("RXON_BLOB_DIR", dataDir.resolve("blobs").toString());
        env.putAll(extra);
        ManagedProcess worker = ManagedProcess.start(workerId, RxonHome.workerJar(), port, env, dataDir.resolve("logs"))
                .awaitReady(Duration.ofSeconds(120));
        workers.add(worker);
        return worker;
    }

    /** The WebSocket URL of the orchestrator, for workers that use push dispatch. */
    public String socketUrl() {
        return "ws://127.0.0.1:" + orchestratorPort;
    }

    @Override
    public void close() {
        for (ManagedProcess worker : workers) {
            worker.close();
        }
        for (ManagedProcess replica : replicas) {
            replica.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() + "ms";
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
