package io.rxon.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three packaged orchestrator processes on one PostgreSQL (the first one's embedded server) behind
 * a {@link RoundRobinProxy}, as three replicas behind a Kubernetes Service without session
 * affinity, and packaged workers that know only the proxy: long-poll ({@code http://}) and push
 * ({@code ws://}) ones. Also reads the shared tables, to count what happened exactly once.
 */
final class ReplicaFleet implements AutoCloseable {

    static final int REPLICAS = 3;
    /** How long a test waits for thousands of jobs on two cores shared by every process. */
    static final Duration LOAD_WAIT = Duration.ofMinutes(2);

    final LocalCluster cluster;
    final RoundRobinProxy proxy;
    final List<ManagedProcess> replicas = new ArrayList<>();
    final List<ClientApi> clients = new ArrayList<>();
    final Map<String, ManagedProcess> workers = new HashMap<>();

    private ReplicaFleet(LocalCluster cluster, List<Integer> ports) {
        this.cluster = cluster;
        this.proxy = new RoundRobinProxy(ports);
        ports.forEach(port -> clients.add(new ClientApi("http://127.0.0.1:" + port, cluster.clientToken())));
    }

    /** Starts the three replicas and the proxy in front of them (no workers yet). */
    static ReplicaFleet start(Path dataDir) {
        LocalCluster cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST);
        List<ManagedProcess> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            started.add(cluster.startOrchestrator());
            ports.add(Integer.parseInt(cluster.orchestratorUrl().replaceAll(".*:", "")));
            for (int i = 1; i < REPLICAS; i++) {
                int port = ManagedProcess.freePort();
                started.add(cluster.startReplica("replica-" + (char) ('a' + i), port));
                ports.add(port);
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        ReplicaFleet fleet = new ReplicaFleet(cluster, ports);
        fleet.replicas.addAll(started);
        return fleet;
    }

    /**
     * Starts a packaged worker that reaches the replicas only through the proxy: push dispatch over
     * a {@code ws://} socket or long-poll over HTTP; {@code concurrency} tasks at a time. It has a
     * device of its kind ({@link #onWorkersOfKind}), so that a test can aim jobs at one kind, and a
     * short retry backoff, so that a replica lost shows in seconds, not in the production minute.
     */
    ManagedProcess startWorker(String workerId, boolean push, int concurrency) {
        ManagedProcess worker = cluster.startWorker(workerId, Map.of(
                "RXON_ORCHESTRATOR_URL", push ? proxy.socketUrl() : proxy.url(),
                "RXON_WORKER_CONCURRENCY", Integer.toString(concurrency),
                "RXON_WORKER_DEVICES", "[{\"type\":\"sensor\",\"model\":\"" + kind(push) + "\"}]",
                "RXON_WORKER_TIMING_BACKOFF_MAX", "1s"));
        workers.put(workerId, worker);
        return worker;
    }

    /** The requirements of a job that only push ({@code true}) or only long-poll workers may run. */
    static Map<String, Object> onWorkersOfKind(boolean push) {
        return Map.of("resources", Map.of("devices", List.of(Map.of("type", "sensor", "model", kind(push)))));
    }

    private static String kind(boolean push) {
        return push ? "push-probe" : "poll-probe";
    }

    /** A client whose connections the proxy spreads over the replicas. */
    ClientApi throughProxy() {
        return new ClientApi(proxy.url(), cluster.clientToken());
    }

    /** The single {@code long} the query answers (a count), with {@code jobIds} as its only parameter. */
    long count(String sql, List<String> jobIds) {
        return query(sql, jobIds, resultSet -> resultSet.next() ? resultSet.getLong(1) : 0L);
    }

    /** Every row, its columns joined by spaces (an id, or a line of a summary), with {@code jobIds} as parameter. */
    List<String> rows(String sql, List<String> jobIds) {
        return query(sql, jobIds, resultSet -> {
            List<String> rows = new ArrayList<>();
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                StringBuilder row = new StringBuilder(String.valueOf(resultSet.getString(1)));
                for (int column = 2; column <= columns; column++) {
                    row.append(' ').append(resultSet.getString(column));
                }
                rows.add(row.toString());
            }
            return rows;
        });
    }

    /** The query's two columns as a map (first → second), with {@code jobIds} as its only parameter. */
    Map<String, String> pairs(String sql, List<String> jobIds) {
        return query(sql, jobIds, resultSet -> {
            Map<String, String> pairs = new HashMap<>();
            while (resultSet.next()) {
                pairs.put(resultSet.getString(1), resultSet.getString(2));
            }
            return pairs;
        });
    }

    private interface Rows<T> {
        T read(ResultSet resultSet) throws SQLException;
    }

    private <T> T query(String sql, List<String> jobIds, Rows<T> rows) {
        LocalCluster.Database database = cluster.database();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (sql.contains("?")) {
                statement.setArray(1, connection.createArrayOf("text", jobIds.toArray()));
            }
            try (ResultSet resultSet = statement.executeQuery()) {
                return rows.read(resultSet);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        proxy.close();
        cluster.close();
    }
}
