package io.rxon.orchestrator.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Which of a worker's sockets is held when their opening callbacks run out of order (a stress loop
 * of WorkerSocketTest's replacement saw the older socket's callback run last about once in 150
 * rounds: the newer socket was closed with 1008 and the older one kept).
 */
class NewestSocketsTest {

    private final NewestSockets<String> sockets = new NewestSockets<>();
    private final List<String> started = new ArrayList<>();

    private Supplier<String> starting(String socket) {
        return () -> {
            started.add(socket);
            return socket;
        };
    }

    @Test
    void shouldReplaceTheOlderSocketWhenTheNewerOneOpensLast() {
        // given the worker's first socket
        sockets.open("w1", 1, starting("first"));

        // when a socket upgraded after it opens
        NewestSockets.Opened<String> opened = sockets.open("w1", 2, starting("second"));

        // then the newer one is held and the older one is to be closed
        assertThat(opened.kept()).isTrue();
        assertThat(opened.displaced()).isEqualTo("first");
        assertThat(sockets.get("w1")).contains("second");
    }

    @Test
    void shouldKeepTheNewerSocketWhenTheOlderOneOpensLast() {
        // given the worker's second socket, whose opening ran first
        sockets.open("w1", 2, starting("second"));

        // when the opening of the socket upgraded before it runs
        NewestSockets.Opened<String> opened = sockets.open("w1", 1, starting("first"));

        // then the older one is refused without being started, and the newer one stays
        assertThat(opened.kept()).isFalse();
        assertThat(opened.displaced()).isNull();
        assertThat(started).containsExactly("second");
        assertThat(sockets.get("w1")).contains("second");
    }

    @Test
    void shouldForgetOnlyTheSocketTheWorkerStillHolds() {
        // given a socket replaced by a newer one
        sockets.open("w1", 1, starting("first"));
        sockets.open("w1", 2, starting("second"));

        // when both close, the replaced one first
        boolean firstHeld = sockets.remove("w1", "first");
        boolean secondHeld = sockets.remove("w1", "second");

        // then only the newer one was still the worker's socket, and none is left
        assertThat(firstHeld).isFalse();
        assertThat(secondHeld).isTrue();
        assertThat(sockets.get("w1")).isEmpty();
    }

    @Test
    void shouldHoldOneSocketPerWorker() {
        // given two workers' sockets
        sockets.open("w1", 1, starting("w1-socket"));

        // when another worker opens one with a lower generation
        NewestSockets.Opened<String> opened = sockets.open("w2", 0, starting("w2-socket"));

        // then both are held
        assertThat(opened.kept()).isTrue();
        assertThat(sockets.get("w1")).contains("w1-socket");
        assertThat(sockets.get("w2")).contains("w2-socket");
    }
}
