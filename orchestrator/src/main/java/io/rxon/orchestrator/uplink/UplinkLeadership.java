package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import java.time.Duration;

/**
 * Whether this replica is the cluster's one uplink (docs/HOLARCHY.md): it is while it holds the
 * lease in {@link UplinkLease}, renewed every third of {@link #LEASE}. A replica that could not renew
 * in time and finds another holding it stops talking to the parent ({@code onLost}); the one that
 * takes over registers afresh. A single orchestrator always holds it.
 */
final class UplinkLeadership {

    /** How long a replica holds the uplink without renewing it. */
    static final Duration LEASE = Duration.ofSeconds(10);

    private final UplinkLease lease;
    private final String parentWorkerId;
    private final String owner;
    private final Runnable onLost;
    private volatile boolean leading;

    UplinkLeadership(UplinkLease lease, String parentWorkerId, String owner, Runnable onLost) {
        this.lease = lease;
        this.parentWorkerId = parentWorkerId;
        this.owner = owner;
        this.onLost = onLost;
    }

    boolean isLeading() {
        return leading;
    }

    /** Takes or renews the lease. */
    void renew() {
        boolean held;
        try {
            held = lease.claim(parentWorkerId, owner, LEASE);
        } catch (RuntimeException e) {
            // not renewed: another replica may take over once the lease runs out, so stop before it does
            held = false;
            Log.debugf("could not renew the uplink's lease: %s", e.getMessage());
        }
        if (held && !leading) {
            Log.infof("this replica (%s) runs the uplink to the parent as %s", owner, parentWorkerId);
        } else if (!held && leading) {
            Log.warnf("this replica (%s) no longer holds the uplink's lease; another replica talks to the parent",
                    owner);
            onLost.run();
        }
        leading = held;
    }

    /** Lets another replica take over at once (shutdown). */
    void release() {
        if (!leading) {
            return;
        }
        leading = false;
        try {
            lease.release(parentWorkerId, owner);
        } catch (RuntimeException e) {
            Log.debugf("could not release the uplink's lease: %s", e.getMessage());
        }
    }
}
