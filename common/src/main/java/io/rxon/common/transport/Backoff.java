package io.rxon.common.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff: {@code initial}, doubled per consecutive failure, never above
 * {@code max}. The reference reconnects its socket with 1 s doubling to 60 s; tests shrink both
 * to milliseconds.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff SOCKET_DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before retry number {@code failures} (0 = the first retry). */
    public Duration delay(int failures) {
        Duration delay = initial;
        for (int i = 0; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
