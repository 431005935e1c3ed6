package io.rxon.orchestrator.kafka;

import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.events.EventService;
import io.rxon.orchestrator.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The relay's SQL: its lease and stored position (table {@code event_relays}, one row per topic)
 * and the stored events it reads. Lease times are the database's clock, so replicas' clocks need
 * not agree.
 */
@ApplicationScoped
public class RelayStatements {

    /** Takes the lease if free or expired, or renews our own; a first claim starts after the events stored so far. */
    private static final String CLAIM = """
            INSERT INTO event_relays AS r (topic, owner, lease_until, position)
            VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond',
                    (SELECT coalesce(max(seq), 0) FROM job_events))
            ON CONFLICT (topic) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
            WHERE r.owner = EXCLUDED.owner OR r.lease_until < clock_timestamp()
            RETURNING r.position""";

    private static final String SAVE = """
            UPDATE event_relays SET position = $3, lease_until = clock_timestamp() + $4 * interval '1 millisecond'
            WHERE topic = $1 AND owner = $2""";

    private static final String RELEASE = """
            UPDATE event_relays SET lease_until = clock_timestamp() - interval '1 millisecond'
            WHERE topic = $1 AND owner = $2""";

    /** New rows above the highest sent, and the rows of open gaps that have committed meanwhile. */
    private static final String EVENTS = """
            SELECT e.seq, e.event_id, e.job_id, e.task_id, e.worker_id, e.type, e.payload, e.created_at, j.client_id,
                   e.origin_worker_id, e.bubbling_chain
            FROM job_events e JOIN jobs j ON j.id = e.job_id
            WHERE e.seq > $1 OR e.seq = ANY($2)
            ORDER BY e.seq LIMIT $3""";

    /** One stored event and its number. */
    record Stored(long seq, EventRecord record) {}

    private final Pool pool;

    public RelayStatements(Pool pool) {
        this.pool = pool;
    }

    /** The stored position if we hold the lease now (taken or renewed), empty if another replica holds it. */
    Uni<OptionalLong> claim(String topic, String owner, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(topic, owner, lease.toMillis()))
                .map(rows -> rows.size() == 0 ? OptionalLong.empty()
                        : OptionalLong.of(rows.iterator().next().getLong("position")));
    }

    /** Stores the position and renews the lease; false if the lease is no longer ours. */
    Uni<Boolean> save(String topic, String owner, long position, Duration lease) {
        return pool.preparedQuery(SAVE).execute(Tuple.of(topic, owner, position, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Lets another replica take over at once (shutdown). */
    Uni<Void> release(String topic, String owner) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(topic, owner)).replaceWithVoid();
    }

    Uni<List<Stored>> events(long after, Long[] gaps, int limit) {
        return pool.preparedQuery(EVENTS).execute(Tuple.of(after, gaps, limit)).map(RelayStatements::stored);
    }

    private static List<Stored> stored(RowSet<Row> rows) {
        List<Stored> stored = new ArrayList<>(rows.size());
        for (Row row : rows) {
            JsonObject payload = row.getJsonObject("payload");
            JobEvent event = new JobEvent(row.getString("event_id"), row.getString("job_id"), row.getString("task_id"),
                    row.getString("worker_id"), row.getString("type"), payload == null ? null : Jsonb.map(payload),
                    row.getLong("created_at"), row.getString("origin_worker_id"),
                    EventService.chain(row));
            stored.add(new Stored(row.getLong("seq"), EventRecord.of(event, row.getString("client_id"))));
        }
        return stored;
    }
}
