package io.rxon.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.protocol.WorkerStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CapacitySlotsTest {

    @Test
    void shouldHandOutNoMorePermitsThanSlots() {
        // given two slots
        CapacitySlots slots = new CapacitySlots(2);

        // when three are asked for
        Optional<CapacitySlots.Permit> first = slots.tryReserve();
        Optional<CapacitySlots.Permit> second = slots.tryReserve();
        Optional<CapacitySlots.Permit> third = slots.tryReserve();

        // then the third is refused
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(third).isEmpty();
        assertThat(slots.free()).isZero();
    }

    @Test
    void shouldGiveTheSlotBackOnceEvenWhenReleasedTwice() {
        // given a reserved slot
        CapacitySlots slots = new CapacitySlots(1);
        CapacitySlots.Permit permit = slots.tryReserve().orElseThrow();

        // when it is released twice (a finally after an explicit release)
        permit.release();
        permit.release();

        // then exactly one slot is free
        assertThat(slots.free()).isEqualTo(1);
        assertThat(permit.isReleased()).isTrue();
    }

    @Test
    void shouldWaitForAFreeSlotOnlyAsLongAsAsked() throws InterruptedException {
        CapacitySlots slots = new CapacitySlots(1);
        slots.tryReserve().orElseThrow();
        assertThat(slots.reserve(Duration.ofMillis(20))).isEmpty();
    }

    @Test
    void shouldReportIdleBusyAndFullByTheTasksHeld() {
        // given three slots
        CapacitySlots slots = new CapacitySlots(3);
        assertThat(slots.status()).isEqualTo(WorkerStatus.IDLE.wire());

        // when slots are merely reserved, the worker is still idle
        CapacitySlots.Permit a = slots.tryReserve().orElseThrow();
        CapacitySlots.Permit b = slots.tryReserve().orElseThrow();
        CapacitySlots.Permit c = slots.tryReserve().orElseThrow();
        assertThat(slots.status()).isEqualTo(WorkerStatus.IDLE.wire());

        // then tasks make it busy, and full when every slot holds one
        a.occupy();
        assertThat(slots.status()).isEqualTo(WorkerStatus.BUSY.wire());
        b.occupy();
        c.occupy();
        assertThat(slots.status()).isEqualTo(WorkerStatus.FULL.wire());
        assertThat(slots.occupied()).isEqualTo(3);

        // and releasing a task's slot makes room again
        c.release();
        assertThat(slots.status()).isEqualTo(WorkerStatus.BUSY.wire());
        assertThat(slots.occupied()).isEqualTo(2);
    }

    @Test
    void shouldTellListenersAboutEveryRelease() {
        // given a listener
        CapacitySlots slots = new CapacitySlots(2);
        AtomicInteger heard = new AtomicInteger();
        slots.onRelease(heard::incrementAndGet);

        // when two permits are released (one twice)
        CapacitySlots.Permit permit = slots.tryReserve().orElseThrow();
        permit.release();
        permit.release();
        slots.tryReserve().orElseThrow().release();

        // then it heard two releases
        assertThat(heard).hasValue(2);
    }

    @Test
    void shouldRefuseATaskInAReleasedSlot() {
        CapacitySlots slots = new CapacitySlots(1);
        CapacitySlots.Permit permit = slots.tryReserve().orElseThrow();
        permit.release();
        assertThatThrownBy(permit::occupy).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRequireAtLeastOneSlot() {
        assertThatThrownBy(() -> new CapacitySlots(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
