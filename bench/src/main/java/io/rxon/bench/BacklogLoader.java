package io.rxon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Preloads pending tasks straight into the orchestrator's embedded PostgreSQL with set-based SQL
 * (no API calls: a million rows in seconds). Rows carry what the orchestrator's own submission
 * (the submission statement of {@code JobStatements}) writes into {@code jobs} and {@code tasks}: a job in
 * {@code waiting_for_worker} whose {@code current_task_id} is its first, pending attempt. No
 * {@code job_created} events: nothing on the dispatch path reads them.
 *
 * <p>The connection is the embedded server's superuser ({@code postgres}, the same generated
 * password as the application role, kept next to the data directory), for two reasons: foreign key
 * checks can be skipped ({@code session_replication_role = replica}; the rows satisfy them by
 * construction) and a {@code CHECKPOINT} can follow, so that the load's WAL is not written back
 * during the measurement.
 */
final class BacklogLoader implements AutoCloseable {

    /** Jobs and their pending first attempts in one statement (tasks from the jobs' RETURNING: no second scan). */
    private static final String INSERT = """
            WITH job AS (
                INSERT INTO jobs (id, client_id, type, params, priority, status, max_attempts, current_task_id,
                                  created_at, updated_at)
                SELECT md5('backlog-job-' || g)::uuid::text, 'bench-backlog', (?::text[])[1 + g % ?],
                       '{"text":"backlog"}'::jsonb, -1 - (g / ?) % ?, 'waiting_for_worker', 3,
                       md5('backlog-task-' || g)::uuid::text, ?, ?
                FROM generate_series(1, ?) g
                RETURNING id, type, priority, current_task_id, created_at)
            INSERT INTO tasks (id, job_id, attempt, type, priority, status, created_at)
            SELECT current_task_id, id, 1, type, priority, 'pending', created_at FROM job""";

    private final Connection connection;

    /** Connects to the database of the orchestrator started in {@code dir} (its {@code orchestrator/postgres}). */
    BacklogLoader(Path dir) {
        Path data = dir.resolve("orchestrator").resolve("postgres");
        try {
            String password = Files.readString(data.resolveSibling("postgres.password")).strip();
            // postmaster.pid: pid, data directory, start time, port, ...
            int port = Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).strip());
            connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/rxon", "postgres",
                    password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the embedded PostgreSQL in " + data, e);
        }
    }

    /**
     * Inserts {@code count} pending tasks, round robin over {@code types}, with priorities -1 ... -{@code
     * priorities} (all below a submitted job's default 0, so they stay behind the measured jobs), then
     * vacuums, analyses and checkpoints. Returns the seconds each step took.
     */
    Timings load(int count, List<String> types, int priorities) {
        long start = System.nanoTime();
        long inserted;
        long vacuumed;
        try {
            if (count > 0) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL session_replication_role = replica");
                }
                long now = System.currentTimeMillis();
                try (PreparedStatement jobs = connection.prepareStatement(INSERT)) {
                    jobs.setArray(1, connection.createArrayOf("text", types.toArray()));
                    jobs.setInt(2, types.size());
                    // Priorities change every types.size() rows, so each type gets every priority.
                    jobs.setInt(3, types.size());
                    jobs.setInt(4, priorities);
                    jobs.setLong(5, now);
                    jobs.setLong(6, now);
                    jobs.setInt(7, count);
                    jobs.executeUpdate();
                }
                connection.commit();
                connection.setAutoCommit(true);
            }
            inserted = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE jobs");
                statement.execute("VACUUM ANALYZE tasks");
                vacuumed = System.nanoTime();
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading " + count + " pending tasks failed", e);
        }
        long end = System.nanoTime();
        return new Timings((end - start) / 1e9, (inserted - start) / 1e9, (vacuumed - inserted) / 1e9,
                (end - vacuumed) / 1e9);
    }

    /** Seconds of a load: in all, the insert statement, VACUUM ANALYZE of both tables, the CHECKPOINT. */
    record Timings(double total, double insert, double vacuum, double checkpoint) {}

    /** Pending tasks now. */
    long pending() {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM tasks WHERE status = 'pending'")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server may be gone already
        }
    }
}
