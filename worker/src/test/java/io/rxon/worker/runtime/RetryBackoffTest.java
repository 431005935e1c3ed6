package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonRateLimitException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private static final RxonNetworkException DOWN = new RxonNetworkException("down", null);

    @Test
    void shouldDoubleUpToTheCap() {
        // given no jitter (the random part at its maximum)
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);

        // then waits double per failure and stop at the cap
        assertThat(backoff.next(DOWN)).isEqualTo(Duration.ofMillis(999));
        assertThat(backoff.next(DOWN)).isEqualTo(Duration.ofMillis(1999));
        assertThat(backoff.next(DOWN)).isEqualTo(Duration.ofMillis(3999));
        for (int i = 0; i < 10; i++) {
            backoff.next(DOWN);
        }
        assertThat(backoff.next(DOWN)).isEqualTo(Duration.ofMillis(59999));
    }

    @Test
    void shouldShaveAtMostHalfOffAsJitter() {
        RetryBackoff low = new RetryBackoff(Duration.ofSeconds(8), Duration.ofSeconds(60), () -> 0.0);
        assertThat(low.next(DOWN)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void shouldStartOverAfterASuccess() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        backoff.next(DOWN);
        backoff.next(DOWN);
        backoff.reset();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next(DOWN)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldHonourRetryAfterOfARateLimit() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        RxonRateLimitException limited = new RxonRateLimitException("slow down", Duration.ofSeconds(42), null);
        assertThat(backoff.next(limited)).isEqualTo(Duration.ofSeconds(42));
        assertThat(backoff.failures()).isEqualTo(1);
    }

    @Test
    void shouldBackOffNormallyForARateLimitWithoutRetryAfter() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 0.0);
        assertThat(backoff.next(new RxonRateLimitException("slow down", null, null))).isEqualTo(Duration.ofSeconds(1));
    }
}
