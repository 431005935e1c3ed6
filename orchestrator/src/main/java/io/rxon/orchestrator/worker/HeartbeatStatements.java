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
import java.util.List;
import java.util.Optional;

/**
 * The few statements a heartbeat still needs synchronously on the workers table, each one targeted
 * and without an ORM session: the adoption of a changed skill catalogue, and the look-up of a
 * worker that registered through another orchestrator on the same database (the lease renewal of
 * reported tasks is the job lifecycle's: {@link TaskLeases}).
 */
@ApplicationScoped
public class HeartbeatStatements {

    /** The registration fields a heartbeat replaces when its catalogue changed (PROTOCOL.md §2.4, Heartbeat). */
    static final List<String> SKILL_FIELDS = List.of("supported_skills", "available_skills", "hot_skills",
            "skills_hash");

    private static final String FIND = """
            SELECT registration::text AS registration, status, last_seen_at FROM workers WHERE id = $1""";

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
