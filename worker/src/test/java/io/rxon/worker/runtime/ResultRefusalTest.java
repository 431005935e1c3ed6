package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.error.RxonRateLimitException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which refusals of a result end its delivery: only those that say the result itself is wrong. */
class ResultRefusalTest {

    @ParameterizedTest
    @CsvSource({"400,true", "413,true", "422,true", "401,false", "403,false", "404,false", "500,false", "503,false"})
    void shouldGiveUpOnlyWhenTheResultItselfIsRefused(int status, boolean refusedForGood) {
        RxonProtocolException refusal = new RxonProtocolException("HTTP " + status + ": …", status);

        assertThat(ResultOutbox.isRefusedForGood(refusal)).isEqualTo(refusedForGood);
    }

    @Test
    void shouldKeepRetryingAfterNetworkFailuresAndRateLimits() {
        assertThat(ResultOutbox.isRefusedForGood(new RxonNetworkException("connection refused", null))).isFalse();
        assertThat(ResultOutbox.isRefusedForGood(new RxonRateLimitException("slow down", Duration.ofSeconds(1), null))).isFalse();
    }
}
