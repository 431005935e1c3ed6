package io.rxon.orchestrator.uplink;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole cluster's fleet as the database knows it (table {@code workers}, whose
 * {@code last_seen_at} every replica writes with its heartbeat flush): the uplink summarises it for
 * the parent, whichever replica the workers talk to. Called from the uplink's own threads.
 */
@ApplicationScoped
class FleetStatements {

    /** Every worker heard from since $1, by any replica, with its registration. */
    private static final String LIVE = """
            SELECT registration::text AS registration, status, last_seen_at FROM workers
            WHERE last_seen_at >= $1 AND status <> 'offline'""";

    /** The latest usage of every worker heard from since $1, with its id. */
    private static final String USAGE = """
            SELECT id, usage::text AS usage FROM workers WHERE last_seen_at >= $1 AND usage IS NOT NULL""";

    private final Pool pool;

    FleetStatements(Pool pool) {
        this.pool = pool;
    }

    /** The workers any replica heard from since {@code since} (as of the last heartbeat flush). */
    List<WorkerState> live(long since) {
        return pool.preparedQuery(LIVE).execute(Tuple.of(since)).map(rows -> {
            List<WorkerState> live = new ArrayList<>();
            rows.forEach(row -> live.add(WorkerState.of(Json.read(row.getString("registration"),
                    WorkerRegistration.class), row.getString("status"), row.getLong("last_seen_at"))));
            return live;
        }).await().indefinitely();
    }

    /** The usage its live workers last reported, by worker id (as of the last heartbeat flush). */
    Map<String, ResourcesUsage> usage(long since) {
        return pool.preparedQuery(USAGE).execute(Tuple.of(since)).map(rows -> {
            Map<String, ResourcesUsage> usage = new TreeMap<>();
            rows.forEach(row -> usage.put(row.getString("id"), Json.read(row.getString("usage"),
                    ResourcesUsage.class)));
            return usage;
        }).await().indefinitely();
    }
}
