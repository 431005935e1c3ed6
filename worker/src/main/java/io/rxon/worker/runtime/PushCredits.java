package io.rxon.worker.runtime;

import io.rxon.worker.task.CapacitySlots;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The credits granted on the current push socket, each a reserved slot. Not thread-safe: the
 * {@link PushDispatch} that owns it calls it under its lock, and releases returned permits outside.
 */
final class PushCredits {

    private final Deque<CapacitySlots.Permit> held = new ArrayDeque<>();

    /** Reserves every free slot as a credit; returns how many. */
    int reserveAll(CapacitySlots slots) {
        int granted = 0;
        for (Optional<CapacitySlots.Permit> permit = slots.tryReserve(); permit.isPresent();
                permit = slots.tryReserve()) {
            held.addLast(permit.get());
            granted++;
        }
        return granted;
    }

    /** Reserves one free slot as a credit, if there is one. */
    boolean reserveOne(CapacitySlots slots) {
        Optional<CapacitySlots.Permit> permit = slots.tryReserve();
        permit.ifPresent(held::addLast);
        return permit.isPresent();
    }

    /** The credit a pushed task uses. */
    Optional<CapacitySlots.Permit> take() {
        return Optional.ofNullable(held.pollFirst());
    }

    /** The last {@code count} credits, which could not be granted after all. */
    List<CapacitySlots.Permit> takeLast(int count) {
        List<CapacitySlots.Permit> taken = new ArrayList<>();
        for (int i = 0; i < count && !held.isEmpty(); i++) {
            taken.add(held.pollLast());
        }
        return taken;
    }

    /** Every credit: the socket that held them is gone, or push stopped on it. */
    List<CapacitySlots.Permit> takeAll() {
        List<CapacitySlots.Permit> taken = new ArrayList<>(held);
        held.clear();
        return taken;
    }
}
