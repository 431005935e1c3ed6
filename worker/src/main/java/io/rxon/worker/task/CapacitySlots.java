package io.rxon.worker.task;

import io.rxon.common.protocol.WorkerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's capacity as an object: a fixed number of slots, one per task it may hold. Whoever
 * asks the orchestrator for work (a long-poll, or a push credit) first reserves a {@link Permit};
 * the task that arrives occupies it; it is released in {@code finally} when the task's result is
 * queued (or when the poll came back empty). So the worker never holds more tasks than slots,
 * whichever path delivered them. Listeners hear every release, which is how push dispatch turns a
 * freed slot into a credit. Thread-safe.
 */
public final class CapacitySlots {

    private final int capacity;
    private final Semaphore free;
    private final AtomicInteger occupied = new AtomicInteger();
    private final List<Runnable> releaseListeners = new CopyOnWriteArrayList<>();

    public CapacitySlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.free = new Semaphore(capacity, true);
    }

    /** A free slot now, or empty. */
    public Optional<Permit> tryReserve() {
        return free.tryAcquire() ? Optional.of(new Permit()) : Optional.empty();
    }

    /** Waits up to {@code timeout} for a free slot. */
    public Optional<Permit> reserve(Duration timeout) throws InterruptedException {
        return free.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(new Permit()) : Optional.empty();
    }

    /** Called (on the releasing thread) after every release. */
    public void onRelease(Runnable listener) {
        releaseListeners.add(listener);
    }

    public int capacity() {
        return capacity;
    }

    /** Slots neither reserved nor occupied. */
    public int free() {
        return free.availablePermits();
    }

    /** Slots holding a task. */
    public int occupied() {
        return occupied.get();
    }

    /**
     * The heartbeat status: {@code idle} without tasks, {@code full} when every slot holds a task,
     * {@code busy} in between. Slots reserved for a poll or a push credit do not count: the worker
     * is still waiting for work on them.
     */
    public String status() {
        int tasks = occupied.get();
        if (tasks == 0) {
            return WorkerStatus.IDLE.wire();
        }
        return tasks >= capacity ? WorkerStatus.FULL.wire() : WorkerStatus.BUSY.wire();
    }

    /** One reserved slot. {@link #release()} is idempotent, so a {@code finally} may always call it. */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicBoolean holdsTask = new AtomicBoolean();

        private Permit() {}

        /** A task now occupies this slot. */
        public void occupy() {
            if (released.get()) {
                throw new IllegalStateException("permit already released");
            }
            if (holdsTask.compareAndSet(false, true)) {
                occupied.incrementAndGet();
            }
        }

        public boolean isReleased() {
            return released.get();
        }

        public void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            if (holdsTask.get()) {
                occupied.decrementAndGet();
            }
            free.release();
            releaseListeners.forEach(Runnable::run);
        }
    }
}
