package io.rxon.orchestrator.uplink;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * One uplink per cluster (docs/HOLARCHY.md): replicas that share a database and a parent identity
 * compete for a lease in {@code uplink_leases}, on the database's clock so that their own clocks
 * need not agree. The holder renews it; when it stops (killed, cut off from the database) another
 * replica takes it once it has expired. Called from the uplink's own thread, which waits.
 */
@ApplicationScoped
class UplinkLease {

    /** Takes the lease if free or expired, or renews our own; a row comes back only when we hold it. */
    private static final String CLAIM = """
            INSERT INTO uplink_leases AS l (parent_worker_id, owner, lease_until)
            VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
            ON CONFLICT (parent_worker_id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
            WHERE l.owner = EXCLUDED.owner OR l.lease_until < clock_timestamp()
            RETURNING l.owner""";

    /** Lets another replica take over at once (shutdown). */
    private static final String RELEASE = """
            UPDATE uplink_leases SET lease_until = clock_timestamp() - interval '1 millisecond'
            WHERE parent_worker_id = $1 AND owner = $2""";

    private final Pool pool;

    UplinkLease(Pool pool) {
        this.pool = pool;
    }

    /** Whether {@code owner} holds the uplink of {@code parentWorkerId} for {@code lease} from now. */
    boolean claim(String parentWorkerId, String owner, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(parentWorkerId, owner, lease.toMillis()))
                .map(rows -> rows.size() == 1).await().indefinitely();
    }

    void release(String parentWorkerId, String owner) {
        pool.preparedQuery(RELEASE).execute(Tuple.of(parentWorkerId, owner)).await().indefinitely();
    }
}
