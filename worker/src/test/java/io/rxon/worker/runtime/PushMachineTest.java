package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.testing.RecordingSocketListener;
import io.rxon.common.transport.MockTransport;
import io.rxon.common.transport.SocketSession;
import io.rxon.worker.task.CapacitySlots;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The push channel's state machine on its own ({@link PushMachine}, {@link PushState}): each
 * transition is taken only from the states that allow it, and events of a replaced socket change
 * nothing. Sessions are real ones of the in-memory orchestrator.
 */
class PushMachineTest {

    private final CapacitySlots slots = new CapacitySlots(2);
    private final PushMachine machine = new PushMachine(slots);
    private final MockTransport orchestrator = new MockTransport("w-machine", "token");

    /** A real in-memory session; its events go to a recorder, not to the machine under test. */
    private SocketSession session() {
        return orchestrator.openSocket(new RecordingSocketListener(), false);
    }

    private static PushChannel channel(boolean push) {
        return new PushChannel(null, null, push);
    }

    @Test
    void aPushSocketShouldGoFromClosedThroughConnectingToPushingWithEveryFreeSlotAsCredit() {
        // given a push socket being opened
        PushChannel push = channel(true);
        assertThat(machine.open(push, false)).isPresent();
        assertThat(machine.isSocketOpen()).isFalse();

        // when it connects
        PushMachine.Connection connection = machine.connected(push, session()).orElseThrow();

        // then push is on with both slots granted, and it was no reconnect
        assertThat(connection.granted()).isEqualTo(2);
        assertThat(connection.reconnect()).isFalse();
        assertThat(machine.isPushing()).isTrue();
        assertThat(machine.pushSession()).isPresent();
        assertThat(slots.free()).isZero();
    }

    @Test
    void aSocketWithoutPushShouldConnectForCommandsOnlyAndGrantNothing() {
        PushChannel plain = channel(false);
        machine.open(plain, false);

        PushMachine.Connection connection = machine.connected(plain, session()).orElseThrow();

        assertThat(connection.granted()).isZero();
        assertThat(machine.isPushing()).isFalse();
        assertThat(machine.isSocketOpen()).isTrue();
        assertThat(machine.pushSession()).isEmpty();
    }

    @Test
    void openingTheSameModeAgainShouldKeepTheSocketUnlessForced() {
        // given a connected push socket
        PushChannel push = channel(true);
        machine.open(push, false);
        machine.connected(push, session());

        // then a registration asking for the same mode keeps it, a forced open replaces it and returns the credits
        assertThat(machine.open(channel(true), false)).isEmpty();
        PushChannel replacement = channel(false);
        PushMachine.Reopening reopening = machine.open(replacement, true).orElseThrow();
        assertThat(reopening.previous()).containsSame(push);
        assertThat(reopening.returned()).hasSize(2);
        assertThat(machine.wanted(replacement)).isTrue();
        assertThat(machine.wanted(push)).isFalse();
    }

    @Test
    void aDroppedSocketShouldReturnItsCreditsReconnectAndCountTheReconnect() {
        PushChannel push = channel(true);
        machine.open(push, false);
        machine.connected(push, session());

        // when the socket drops: credits come back, push is off, the socket waits to reconnect
        List<CapacitySlots.Permit> returned = machine.disconnected(push).orElseThrow();
        returned.forEach(CapacitySlots.Permit::release);
        assertThat(returned).hasSize(2);
        assertThat(machine.isPushing()).isFalse();

        // then when it is back, it is a reconnect with the slots granted again
        PushMachine.Connection again = machine.connected(push, session()).orElseThrow();
        assertThat(again.reconnect()).isTrue();
        assertThat(again.granted()).isEqualTo(2);
    }

    @Test
    void aRefusalShouldEndPushOnlyOnThePushingSocketAndAllowReopeningInTheSameMode() {
        PushChannel push = channel(true);
        machine.open(push, false);

        // a refusal before the socket pushes changes nothing
        assertThat(machine.refused(push)).isEmpty();
        machine.connected(push, session());

        // when push is refused on it: credits returned, socket still open, push off
        assertThat(machine.refused(push).orElseThrow()).hasSize(2);
        assertThat(machine.isPushing()).isFalse();
        assertThat(machine.isSocketOpen()).isTrue();
        assertThat(machine.slotFreed()).isEmpty();

        // then the next registration reopens a push socket even though the mode is the same
        assertThat(machine.open(channel(true), false)).isPresent();
    }

    @Test
    void eventsOfAReplacedSocketShouldChangeNothing() {
        // given a socket replaced before it connected
        PushChannel old = channel(true);
        machine.open(old, false);
        PushChannel current = channel(true);
        machine.open(current, true);

        // then its connect, drop, refusal and lost credits are ignored
        assertThat(machine.connected(old, session())).isEmpty();
        assertThat(machine.disconnected(old)).isEmpty();
        assertThat(machine.refused(old)).isEmpty();
        assertThat(machine.creditsLost(old, 1)).isEmpty();
        assertThat(machine.isSocketOpen()).isFalse();
    }

    @Test
    void aFreedSlotShouldBecomeACreditOnlyWhilePushing() {
        PushChannel push = channel(true);
        machine.open(push, false);
        assertThat(machine.slotFreed()).isEmpty();
        machine.connected(push, session());

        // when a pushed task takes a credit and its slot is freed, the slot is a credit again
        machine.takeCredit().orElseThrow().release();
        assertThat(machine.slotFreed()).isPresent();
        assertThat(slots.free()).isZero();
    }

    @Test
    void stoppedShouldBeFinal() {
        // given a pushing socket that is stopped
        PushChannel push = channel(true);
        machine.open(push, false);
        machine.connected(push, session());
        PushMachine.Reopening closing = machine.stop();
        assertThat(closing.previous()).containsSame(push);
        assertThat(closing.returned()).hasSize(2);

        // then nothing opens or connects again, and waiting for push to end returns at once
        assertThat(machine.open(channel(true), true)).isEmpty();
        assertThat(machine.isPushing()).isFalse();
        assertThat(machine.shouldRetryPush()).isFalse();
        machine.awaitNotPushing(Duration.ofMinutes(1));
    }

    @Test
    void pushShouldBeRetriedOnlyWhenAgreedAndTheSocketRunsWithoutIt() {
        machine.negotiated(true);
        assertThat(machine.shouldRetryPush()).isFalse();
        machine.open(channel(false), false);
        assertThat(machine.shouldRetryPush()).isTrue();
        machine.negotiated(false);
        assertThat(machine.shouldRetryPush()).isFalse();
    }
}
