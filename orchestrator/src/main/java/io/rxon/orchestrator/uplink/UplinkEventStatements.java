package io.rxon.orchestrator.uplink;

import io.rxon.orchestrator.db.Jsonb;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the event spool, table {@code uplink_events} (filled by job/ParentBoundEvents in the
 * transaction that stores each event): what is still to be sent to the parent, oldest first, with
 * the parent's ids it goes to. Called from the uplink's own threads, which wait for each statement.
 */
@ApplicationScoped
class UplinkEventStatements {

    /** A spooled event and the parent task it is about (the latest that the local job runs). */
    record Spooled(long seq, Map<String, Object> event, String parentTaskId, String parentJobId) {}

    /**
     * Spooled events whose local job is linked to a parent task already (the link is written just
     * after the local job; an event in between waits for it), in the order they were stored.
     */
    private static final String SPOOLED = """
            SELECT e.seq, e.event::text AS event, u.parent_task_id, u.parent_job_id
            FROM uplink_events e
            JOIN LATERAL (SELECT parent_task_id, parent_job_id FROM uplink_tasks
                          WHERE local_job_id = e.local_job_id ORDER BY received_at DESC LIMIT 1) u ON true
            ORDER BY e.seq LIMIT $1""";

    private static final String DELETE = "DELETE FROM uplink_events WHERE seq = $1";

    /** Events of local jobs that never got a link (the orchestrator stopped between the two writes). */
    private static final String ORPHANED = """
            DELETE FROM uplink_events e WHERE e.created_at < $1
              AND NOT EXISTS (SELECT 1 FROM uplink_tasks u WHERE u.local_job_id = e.local_job_id)""";

    private static final String COUNT = "SELECT count(*) AS spooled FROM uplink_events";

    private final Pool pool;

    UplinkEventStatements(Pool pool) {
        this.pool = pool;
    }

    List<Spooled> spooled(int limit) {
        return pool.preparedQuery(SPOOLED).execute(Tuple.of(limit)).map(rows -> {
            List<Spooled> spooled = new ArrayList<>();
            rows.forEach(row -> spooled.add(new Spooled(row.getLong("seq"), Jsonb.map(row.getString("event")),
                    row.getString("parent_task_id"), row.getString("parent_job_id"))));
            return spooled;
        }).await().indefinitely();
    }

    void delete(long seq) {
        pool.preparedQuery(DELETE).execute(Tuple.of(seq)).await().indefinitely();
    }

    void forgetOrphaned(long before) {
        pool.preparedQuery(ORPHANED).execute(Tuple.of(before)).await().indefinitely();
    }

    /** How many events wait for the parent (the heartbeat's {@code metadata.spooled_events}). */
    long count() {
        return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong("spooled")).await()
                .indefinitely();
    }
}
