package io.rxon.worker.task;

import io.rxon.common.protocol.TaskPayload;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One task while it runs: the request to stop it (cancellation or a passed deadline), which wakes
 * the skill's {@code pause} and interrupts its thread, and the guarantee that exactly one result
 * is reported for it, even when a drain gives up on a skill that ignores cancellation.
 */
public final class TaskRun {

    /** Why a task was asked to stop. */
    public enum StopReason {
        /** Cancelled by the orchestrator or by a worker shutting down: reported {@code cancelled}. */
        CANCELLED,
        /** Its deadline passed: reported as a {@code TIMEOUT_ERROR} failure. */
        TIMED_OUT
    }

    private final TaskPayload task;
    private final Instant startedAt;
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean reported = new AtomicBoolean();
    private Thread thread;

    public TaskRun(TaskPayload task, Instant startedAt) {
        this.task = task;
        this.startedAt = startedAt;
    }

    public TaskPayload task() {
        return task;
    }

    public String taskId() {
        return task.taskId();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Asks the task to stop; the first reason wins. Returns whether this call asked first. */
    public boolean requestStop(StopReason reason) {
        if (!stopReason.compareAndSet(null, reason)) {
            return false;
        }
        stopRequested.countDown();
        synchronized (this) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        return true;
    }

    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason.get());
    }

    public boolean isStopRequested() {
        return stopReason.get() != null;
    }

    /** Waits up to {@code duration}; true as soon as a stop is requested. */
    public boolean awaitStop(Duration duration) throws InterruptedException {
        return stopRequested.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The skill now runs on the calling thread: a stop request interrupts it. */
    synchronized void attach(Thread current) {
        thread = current;
        if (isStopRequested()) {
            current.interrupt();
        }
    }

    /** The skill returned: no later stop request may interrupt this (pool) thread. */
    void detach() {
        synchronized (this) {
            thread = null;
        }
        Thread.interrupted();
    }

    /** Claims the right to report this task's result; true exactly once. */
    public boolean markReported() {
        return reported.compareAndSet(false, true);
    }
}
