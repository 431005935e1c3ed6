package io.rxon.orchestrator.job;

import io.rxon.orchestrator.worker.TaskLeases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of task leases: renewal by heartbeats, and the sweep's reads of what ran out (leases and
 * job deadlines). Each is one statement without an ORM session; the sweep's reads go through the
 * partial indexes {@code tasks_expired} and {@code jobs_open_deadline} (V8).
 */
@ApplicationScoped
public class LeaseStatements implements TaskLeases {

    /**
     * Renews the leases the worker still holds and, in the same statement, names the reported
     * tasks it should stop: cancelled, finished, expired or handed to someone else. Both parts read
     * the same snapshot; the renewal touches no column the check reads.
     */
    static final String RENEW_AND_FIND_CANCELLED = StatusSql.of("""
            WITH renewed AS (
                UPDATE tasks SET lease_expires_at = $3
                WHERE worker_id = $1 AND status = {task:assigned:checked} AND id = ANY($2))
            SELECT id FROM tasks
            WHERE id = ANY($2) AND (cancel_requested OR status <> {task:assigned} OR worker_id IS DISTINCT FROM $1)""");

    /** Assigned → expired for leases that ran out ({@link TaskState.Assigned#expire()}). */
    static final String EXPIRE_LEASES = StatusSql.of("""
            UPDATE tasks SET status = {task:expired}, finished_at = $1
            WHERE id IN (SELECT id FROM tasks WHERE status = {task:assigned} AND lease_expires_at < $1
                         LIMIT $2 FOR UPDATE SKIP LOCKED)""");

    private static final String JOBS_WITH_EXPIRED_TASK = StatusSql.of("""
            SELECT j.id FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.current_task_id = t.id
            WHERE t.status = {task:expired} AND j.status IN ({job:running}, {job:waiting_for_worker})
            LIMIT $1""");

    static final String JOBS_PAST_DEADLINE = StatusSql.of("""
            SELECT id FROM jobs
            WHERE deadline_at < $1 AND finished_at IS NULL AND status NOT IN ({job:ended})
            LIMIT $2""");

    private final Pool pool;

    public LeaseStatements(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<String>> renew(String workerId, List<String> taskIds, long until) {
        return pool.preparedQuery(RENEW_AND_FIND_CANCELLED)
                .execute(Tuple.of(workerId, taskIds.toArray(String[]::new), until))
                .map(LeaseStatements::ids);
    }

    /** Marks up to {@code limit} tasks whose lease ran out before {@code now} expired. */
    Uni<Void> expireLeases(long now, int limit) {
        return pool.preparedQuery(EXPIRE_LEASES).execute(Tuple.of(now, limit)).replaceWithVoid();
    }

    /** Jobs still open whose current task expired: to recover. */
    Uni<List<String>> jobsWithExpiredTask(int limit) {
        return pool.preparedQuery(JOBS_WITH_EXPIRED_TASK).execute(Tuple.of(limit)).map(LeaseStatements::ids);
    }

    /** Open jobs past their own deadline: to fail. */
    Uni<List<String>> jobsPastDeadline(long now, int limit) {
        return pool.preparedQuery(JOBS_PAST_DEADLINE).execute(Tuple.of(now, limit)).map(LeaseStatements::ids);
    }

    private static List<String> ids(RowSet<Row> rows) {
        List<String> ids = new ArrayList<>();
        for (Row row : rows) {
            ids.add(row.getString("id"));
        }
        return ids;
    }
}
