package io.rxon.common.transport;

import io.rxon.common.error.RxonNetworkException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The reference's result submission policy (PROTOCOL.md §4.4): only network failures are
 * retried, because the orchestrator may simply not have seen the result; auth, rate-limit and
 * protocol errors are the caller's to handle. Waits {@code delay·2^i} between attempts.
 */
final class ResultRetry {

    private static final System.Logger LOG = System.getLogger(ResultRetry.class.getName());

    private final int attempts;
    private final Duration firstDelay;

    ResultRetry(int attempts, Duration firstDelay) {
        this.attempts = attempts;
        this.firstDelay = firstDelay;
    }

    <T> T run(String what, Supplier<T> action) {
        for (int attempt = 0; ; attempt++) {
            try {
                return action.get();
            } catch (RxonNetworkException e) {
                if (attempt >= attempts - 1) {
                    throw e;
                }
                Duration delay = firstDelay.multipliedBy(1L << Math.min(attempt, 30));
                LOG.log(Level.WARNING, "{0} failed (attempt {1} of {2}), retrying in {3} ms: {4}",
                        what, attempt + 1, attempts, delay.toMillis(), e.getMessage());
                pause(delay, e);
            }
        }
    }

    private static void pause(Duration delay, RxonNetworkException failure) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }
}
