package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the worker knows about its link to the orchestrator: whether it has registered, when a
 * call last succeeded, and whether the link is currently failing. Readiness is derived from it,
 * contact lost and regained is logged once per transition (not per failed call) and counted as a
 * reconnect.
 */
public final class ConnectionState {

    private final Clock clock;
    private final WorkerMetrics metrics;
    private final AtomicBoolean reachable = new AtomicBoolean();
    private final AtomicBoolean everReached = new AtomicBoolean();
    private final AtomicBoolean firstFailureLogged = new AtomicBoolean();
    private final String name;
    private volatile boolean registered;
    private volatile Instant lastContact;
    private volatile String lastError;

    public ConnectionState(Clock clock, WorkerMetrics metrics) {
        this(clock, metrics, "orchestrator");
    }

    /** @param name how logs call the orchestrator, e.g. {@code orchestrator http://a:8080} with several */
    public ConnectionState(Clock clock, WorkerMetrics metrics, String name) {
        this.clock = clock;
        this.metrics = metrics;
        this.name = name;
    }

    /** A call to the orchestrator succeeded. */
    public void contactSucceeded() {
        lastContact = clock.instant();
        if (!reachable.getAndSet(true)) {
            if (everReached.getAndSet(true)) {
                metrics.reconnected("http");
                Log.infof("%s is reachable again", name);
            }
        }
    }

    /** A call failed for a reason that says nothing good about the link (network, 5xx, auth). */
    public void contactFailed(String what, Throwable error) {
        lastError = what + ": " + error.getMessage();
        boolean wasReachable = reachable.getAndSet(false);
        if (wasReachable || firstFailureLogged.compareAndSet(false, true)) {
            Log.warnf("%s failed; retrying with backoff until the %s answers: %s", what, name, error.getMessage());
        } else {
            Log.debugf("%s failed: %s", what, error.getMessage());
        }
    }

    public void registered() {
        registered = true;
    }

    public boolean isRegistered() {
        return registered;
    }

    /** The last failed call (kept after later successes: health shows what went wrong last). */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> lastContact() {
        return Optional.ofNullable(lastContact);
    }

    /** Registered and heard from within {@code window}. */
    public boolean isConnected(Duration window) {
        Instant last = lastContact;
        return registered && last != null && Duration.between(last, clock.instant()).compareTo(window) <= 0;
    }
}
