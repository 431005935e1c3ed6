package io.rxon.worker.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The runtime's settings as one immutable snapshot, taken from {@code WorkerConfig} at start-up
 * (tests build it directly).
 *
 * @param concurrency slots: tasks held at most at a time
 * @param heartbeatInterval time between heartbeats
 * @param pollTimeout how long one long-poll may wait for a task
 * @param backoffInitial first wait after a failed call to the orchestrator
 * @param backoffMax longest wait between attempts
 * @param drainGracePeriod how long a drain lets running tasks finish before cancelling them
 * @param resultFlushTimeout how long a drain keeps trying to deliver queued results
 * @param contactTimeout readiness fails when the orchestrator was not heard from for this long
 * @param socket open the socket channel (commands, and tasks with push dispatch)
 * @param pushDispatch negotiate push dispatch over the socket
 */
public record RuntimeSettings(
        int concurrency,
        Duration heartbeatInterval,
        Duration pollTimeout,
        Duration backoffInitial,
        Duration backoffMax,
        Duration drainGracePeriod,
        Duration resultFlushTimeout,
        Duration contactTimeout,
        boolean socket,
        boolean pushDispatch) {

    public RuntimeSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        positive(heartbeatInterval, "heartbeat interval");
        positive(pollTimeout, "poll timeout");
        positive(backoffInitial, "initial backoff");
        positive(backoffMax, "maximum backoff");
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("maximum backoff " + backoffMax + " is below the initial "
                    + backoffInitial);
        }
        Objects.requireNonNull(drainGracePeriod, "drainGracePeriod");
        Objects.requireNonNull(resultFlushTimeout, "resultFlushTimeout");
        positive(contactTimeout, "contact timeout");
        if (pushDispatch && !socket) {
            throw new IllegalArgumentException("push dispatch needs the socket channel");
        }
    }

    /** These settings with another socket and push choice (one orchestrator's). */
    public RuntimeSettings withChannel(boolean socketChannel, boolean push) {
        return new RuntimeSettings(concurrency, heartbeatInterval, pollTimeout, backoffInitial, backoffMax,
                drainGracePeriod, resultFlushTimeout, contactTimeout, socketChannel || push, push);
    }

    public RetryBackoff newBackoff() {
        return new RetryBackoff(backoffInitial, backoffMax);
    }

    private static void positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
