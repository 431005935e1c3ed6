package io.rxon.orchestrator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's bookkeeping of event numbers that commit out of order. */
class RelayWindowTest {

    @Test
    void shouldKeepThePositionBelowANumberSkippedOverUntilItsRowShowsUp() {
        // given a relay at 10 that sees 11 and 13, but not 12 (still being committed)
        RelayWindow window = new RelayWindow(10);
        window.sent(List.of(11L, 13L), 1_000);

        // then 12 is waited for, and a resumed relay would start below it
        assertThat(window.gaps()).containsExactly(12L);
        assertThat(window.position()).isEqualTo(11);
        assertThat(window.highest()).isEqualTo(13);

        // when 12 commits and is sent
        window.sent(List.of(12L), 2_000);

        // then everything up to 13 is settled
        assertThat(window.gaps()).isEmpty();
        assertThat(window.position()).isEqualTo(13);
    }

    @Test
    void shouldGiveUpANumberWhoseTransactionNeverCommitsAfterTheGapTimeout() {
        // given numbers 2 and 3 skipped over at time 1000 (rolled back)
        RelayWindow window = new RelayWindow(1);
        window.sent(List.of(4L), 1_000);

        // when the gap timeout has passed for them
        assertThat(window.expire(999)).isZero();
        int expired = window.expire(1_001);

        // then they are given up and the position moves past them
        assertThat(expired).isEqualTo(2);
        assertThat(window.position()).isEqualTo(4);
    }

    @Test
    void shouldBoundTheNumbersItWaitsForAfterAJumpInTheSequence() {
        // given a jump far beyond the gaps it tracks
        RelayWindow window = new RelayWindow(0);

        // when a row with a huge number is sent
        window.sent(List.of(10L * RelayWindow.MAX_GAPS), 1_000);

        // then only the most recent numbers below it are waited for
        assertThat(window.gaps()).hasSize(RelayWindow.MAX_GAPS);
        assertThat(window.position()).isEqualTo(9L * RelayWindow.MAX_GAPS - 1);
    }
}
