package io.rxon.orchestrator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.WorkerRegistration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few statements a heartbeat still needs synchronously, each one targeted and without an ORM
 * session: the lease renewal of reported tasks together with the cancel check, the adoption of a
 * changed skill catalogue, and the look-up of a worker that registered through another
 * orchestrator on the same database.
 */
@ApplicationScoped
public class HeartbeatStatements {

    /** The registration fields a heartbeat replaces when its catalogue changed (PROTOCOL.md §2.4, Heartbeat). */
    static final List<String> SKILL_FIELDS = List.of("supported_skills", "available_skills", "hot_skills",
            "skills_hash");

    private static final String FIND = """
            SELECT registration::text AS registration, status, last_seen_at FROM workers WHERE id = $1""";

    /**
     * Renews the leases the worker still holds and, in the same statement, names the reported
     * tasks it should stop: cancelled, finished, expired or handed to someone else (PROTOCOL.md
     * §11.5). Both parts read the same snapshot; the renewal touches no column the check reads.
     */
    private static final String RENEW_AND_FIND_CANCELLED = """
            WITH renewed AS (
                UPDATE tasks SET lease_expires_at = $3
                WHERE worker_id = $1 AND status = 'assigned' AND id = ANY($2))
            SELECT id FROM tasks
            WHERE id = ANY($2) AND (cancel_requested OR status <> 'assigned' OR worker_id IS DISTINCT FROM $1)""";

    /** Replaces the skill fields of the stored registration and leaves the rest as stored. */
    private static final String ADOPT_SKILLS = """
            UPDATE workers SET registration = (registration - $2::text[]) || $3::text::jsonb
            WHERE id = $1
            RETURNING registration::text AS registration""";

    private final Pool pool;

    public HeartbeatStatements(Pool pool) {
        this.pool = pool;
    }

    /** A worker as stored, whoever registered it; empty when it never registered anywhere. */
    Uni<Optional<WorkerState>> find(String workerId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(workerId)).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            if (!iterator.hasNext()) {
                return Optional.empty();
            }
            Row row = iterator.next();
            return Optional.of(WorkerState.of(Json.read(row.getString("registration"), WorkerRegistration.class),
                    row.getString("status"), row.getLong("last_seen_at")));
        });
    }

    /** Renews the leases of {@code taskIds} still assigned to the worker; returns those it should cancel. */
    Uni<List<String>> renewLeases(String workerId, List<String> taskIds, long leaseExpiresAt) {
        return pool.preparedQuery(RENEW_AND_FIND_CANCELLED)
                .execute(Tuple.of(workerId, taskIds.toArray(String[]::new), leaseExpiresAt))
                .map(rows -> {
                    List<String> cancel = new ArrayList<>();
                    for (Row row : rows) {
                        cancel.add(row.getString("id"));
                    }
                    return cancel;
                });
    }

    /**
     * Stores the skill fields of {@code updated} in the worker's registration; returns the stored
     * registration as it now reads, empty when the worker's row is gone.
     */
    Uni<Optional<WorkerRegistration>> adoptSkills(WorkerRegistration updated) {
        JsonNode full = Json.tree(updated);
        ObjectNode patch = Json.mapper().createObjectNode();
        for (String field : SKILL_FIELDS) {
            if (full.hasNonNull(field)) {
                patch.set(field, full.get(field));
            }
        }
        return pool.preparedQuery(ADOPT_SKILLS)
                .execute(Tuple.of(updated.workerId(), SKILL_FIELDS.toArray(String[]::new), patch.toString()))
                .map(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    return iterator.hasNext()
                            ? Optional.of(Json.read(iterator.next().getString("registration"), WorkerRegistration.class))
                            : Optional.empty();
                });
    }
}
