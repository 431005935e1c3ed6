package io.rxon.orchestrator.uplink;

import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.job.JobStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the uplink's durable state, table {@code uplink_tasks}: which parent task became which
 * local job, and the results the parent has not acknowledged yet. Called from the uplink's own
 * threads, which wait for each statement.
 */
@ApplicationScoped
class UplinkStatements {

    /** A parent task and the local job it became (none when it was refused). */
    record Link(String parentTaskId, String parentJobId, Optional<String> localJobId) {}

    /** A local job of a parent task that has ended and has no result for the parent yet. */
    record Ended(String parentTaskId, String parentJobId, String status, Map<String, Object> result,
            Map<String, Object> resultMetadata, Map<String, Object> error, String workerId,
            Map<String, Object> taskResult) {}

    /** A result the parent has not acknowledged. */
    record Unacked(String parentTaskId, Map<String, Object> result) {}

    private static final String[] ENDED = Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal)
            .map(JobStatus::wire).toArray(String[]::new);

    private static final String INSERT = """
            INSERT INTO uplink_tasks (parent_task_id, parent_job_id, local_job_id, received_at, result)
            VALUES ($1, $2, $3, $4, $5::text::jsonb) ON CONFLICT (parent_task_id) DO NOTHING""";

    private static final String FIND = """
            SELECT parent_task_id, parent_job_id, local_job_id FROM uplink_tasks WHERE parent_task_id = $1""";

    private static final String BY_LOCAL_JOB = """
            SELECT parent_task_id, parent_job_id, local_job_id FROM uplink_tasks WHERE local_job_id = $1
            ORDER BY received_at DESC LIMIT 1""";

    /** The latest local job of a parent job that still runs or has finished (not failed, cancelled, quarantined). */
    private static final String REUSABLE = """
            SELECT u.local_job_id FROM uplink_tasks u JOIN jobs j ON j.id = u.local_job_id
            WHERE u.parent_job_id = $1 AND (j.status <> ALL($2) OR j.status = $3)
            ORDER BY u.received_at DESC LIMIT 1""";

    /** Parent tasks received after $2 that share its local job $1 (its re-dispatches). */
    private static final String SHARING = """
            SELECT count(*) AS sharing FROM uplink_tasks
            WHERE local_job_id = $1 AND parent_task_id <> $2
              AND received_at >= (SELECT received_at FROM uplink_tasks WHERE parent_task_id = $2)""";

    private static final String OPEN = """
            SELECT parent_task_id FROM uplink_tasks WHERE acked_at IS NULL AND local_job_id IS NOT NULL""";

    private static final String ENDED_WITHOUT_RESULT = """
            SELECT u.parent_task_id, u.parent_job_id, j.status, j.result::text AS result,
                   j.result_metadata::text AS result_metadata, j.error::text AS error, t.worker_id,
                   t.result::text AS task_result
            FROM uplink_tasks u JOIN jobs j ON j.id = u.local_job_id LEFT JOIN tasks t ON t.id = j.current_task_id
            WHERE u.result IS NULL AND j.status = ANY($1)
            LIMIT $2""";

    private static final String SET_RESULT = """
            UPDATE uplink_tasks SET result = $2::text::jsonb WHERE parent_task_id = $1 AND result IS NULL""";

    /** Results not acknowledged yet whose local job has no event still to send: events go up before the result. */
    private static final String UNACKED = """
            SELECT parent_task_id, result::text AS result FROM uplink_tasks u
            WHERE result IS NOT NULL AND acked_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM uplink_events e WHERE e.local_job_id = u.local_job_id)
            ORDER BY received_at LIMIT $1""";

    private static final String ACK = "UPDATE uplink_tasks SET acked_at = $2 WHERE parent_task_id = $1";

    private static final String FORGET = "DELETE FROM uplink_tasks WHERE acked_at < $1";

    private final Pool pool;

    UplinkStatements(Pool pool) {
        this.pool = pool;
    }

    /** Records a parent task; false when it was recorded before (the parent handed it out again). */
    boolean insert(String parentTaskId, String parentJobId, String localJobId, long now, String resultJson) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(parentTaskId, parentJobId, localJobId, now, resultJson))
                .map(rows -> rows.rowCount() == 1).await().indefinitely();
    }

    Optional<Link> find(String parentTaskId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(parentTaskId))
                .map(rows -> rows.size() == 0 ? Optional.<Link>empty() : Optional.of(link(rows.iterator().next())))
                .await().indefinitely();
    }

    Optional<Link> byLocalJob(String localJobId) {
        return pool.preparedQuery(BY_LOCAL_JOB).execute(Tuple.of(localJobId))
                .map(rows -> rows.size() == 0 ? Optional.<Link>empty() : Optional.of(link(rows.iterator().next())))
                .await().indefinitely();
    }

    /**
     * A local job that a parent task handed out again (its lease ran out at the parent, e.g. while
     * this orchestrator was down) can join instead of running the work a second time: the parent
     * job's latest local job, unless it failed, was cancelled or quarantined (then it runs again).
     */
    Optional<String> reusableLocalJob(String parentJobId) {
        return pool.preparedQuery(REUSABLE).execute(Tuple.of(parentJobId, ENDED, JobStatus.FINISHED.wire()))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty()
                        : Optional.ofNullable(rows.iterator().next().getString("local_job_id")))
                .await().indefinitely();
    }

    /** Whether a later parent task (a re-dispatch of the same parent job) shares this local job. */
    boolean isShared(String localJobId, String parentTaskId) {
        return pool.preparedQuery(SHARING).execute(Tuple.of(localJobId, parentTaskId))
                .map(rows -> rows.iterator().next().getLong("sharing") > 0).await().indefinitely();
    }

    /**
     * Parent tasks whose local job runs or whose result is not acknowledged yet: the heartbeat's
     * {@code current_tasks}, which keeps their leases at the parent until the result is there.
     */
    List<String> open() {
        return pool.query(OPEN).execute().map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getString("parent_task_id")));
            return ids;
        }).await().indefinitely();
    }

    List<Ended> endedWithoutResult(int limit) {
        return pool.preparedQuery(ENDED_WITHOUT_RESULT).execute(Tuple.of(ENDED, limit)).map(rows -> {
            List<Ended> ended = new ArrayList<>();
            rows.forEach(row -> ended.add(new Ended(row.getString("parent_task_id"), row.getString("parent_job_id"),
                    row.getString("status"), Jsonb.map(row.getString("result")),
                    Jsonb.map(row.getString("result_metadata")), Jsonb.map(row.getString("error")),
                    row.getString("worker_id"), Jsonb.map(row.getString("task_result")))));
            return ended;
        }).await().indefinitely();
    }

    void setResult(String parentTaskId, String resultJson) {
        pool.preparedQuery(SET_RESULT).execute(Tuple.of(parentTaskId, resultJson)).await().indefinitely();
    }

    List<Unacked> unacked(int limit) {
        return pool.preparedQuery(UNACKED).execute(Tuple.of(limit)).map(rows -> {
            List<Unacked> unacked = new ArrayList<>();
            rows.forEach(row -> unacked.add(new Unacked(row.getString("parent_task_id"),
                    Jsonb.map(row.getString("result")))));
            return unacked;
        }).await().indefinitely();
    }

    void ack(String parentTaskId, long now) {
        pool.preparedQuery(ACK).execute(Tuple.of(parentTaskId, now)).await().indefinitely();
    }

    /** Forgets tasks whose results were acknowledged before {@code before}: the parent will not hand them out again. */
    void forgetAckedBefore(long before) {
        pool.preparedQuery(FORGET).execute(Tuple.of(before)).await().indefinitely();
    }

    private static Link link(Row row) {
        return new Link(row.getString("parent_task_id"), row.getString("parent_job_id"),
                Optional.ofNullable(row.getString("local_job_id")));
    }
}
