package io.rxon.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reconnect delays double from the initial value and stop at the cap, as the reference's 1 s to 60 s. */
class BackoffTest {

    @ParameterizedTest(name = "after {0} failures wait {1} s")
    @CsvSource({"0, 1", "1, 2", "2, 4", "5, 32", "6, 60", "7, 60", "1000, 60"})
    void shouldDoubleTheDelayUpToTheCap(int failures, long seconds) {
        assertThat(Backoff.SOCKET_DEFAULT.delay(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void shouldRejectACapBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
