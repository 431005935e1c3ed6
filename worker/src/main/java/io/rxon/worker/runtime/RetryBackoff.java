package io.rxon.worker.runtime;

import io.rxon.common.error.RxonRateLimitException;
import io.rxon.worker.task.TaskFailures;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter for talking to the orchestrator: the n-th consecutive
 * failure waits {@code min(max, initial·2^n)}, of which a random half is shaved off ("equal
 * jitter"), so a fleet of workers that lost the same orchestrator does not come back in lockstep.
 * A rate limit's {@code Retry-After} is honoured exactly instead. Not thread-safe: one per loop.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    public RetryBackoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1); tests pass a constant */
    public RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.max = Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.random = random;
    }

    /** The wait before the next attempt after {@code failure}; counts the failure. */
    public Duration next(Throwable failure) {
        Optional<Duration> retryAfter = failure == null ? Optional.empty() : retryAfter(failure);
        Duration ceiling = ceiling(failures);
        failures = Math.min(failures + 1, 62);
        if (retryAfter.isPresent()) {
            return retryAfter.get();
        }
        long half = ceiling.toMillis() / 2;
        return Duration.ofMillis(ceiling.toMillis() - half + (long) (random.getAsDouble() * half));
    }

    /** A success: the next failure starts from {@code initial} again. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    private Duration ceiling(int count) {
        Duration delay = initial;
        for (int i = 0; i < count && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private static Optional<Duration> retryAfter(Throwable failure) {
        return TaskFailures.unwrap(failure) instanceof RxonRateLimitException rateLimit
                ? rateLimit.retryAfter().filter(wait -> !wait.isNegative())
                : Optional.empty();
    }
}
