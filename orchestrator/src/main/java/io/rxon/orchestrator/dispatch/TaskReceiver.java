package io.rxon.orchestrator.dispatch;

import io.rxon.orchestrator.job.ClaimedTask;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Somewhere a worker can take tasks right now: a parked long-poll (room for one task) or a push
 * socket (room for as many tasks as the worker granted credits). Exactly one claim runs for a
 * receiver at a time, whether started by the worker (poll, credit) or by an offer of a new task;
 * an offer that finds a claim in progress leaves a "missed" mark so the receiver looks again
 * instead of sleeping through the new task. Transitions are synchronised and never block.
 */
final class TaskReceiver {

    private enum State { IDLE, CLAIMING, CLOSED }

    private final String workerId;
    private final Set<String> availableSkills;
    private final boolean oneShot;
    private final Consumer<ClaimedTask> delivery;
    private final Runnable onClose;
    private State state = State.CLAIMING;
    private int room;
    private boolean missed;
    private boolean closing;

    private TaskReceiver(String workerId, Set<String> availableSkills, boolean oneShot, int room,
            Consumer<ClaimedTask> delivery, Runnable onClose) {
        this.workerId = workerId;
        this.availableSkills = availableSkills == null ? null : Set.copyOf(availableSkills);
        this.oneShot = oneShot;
        this.room = room;
        this.delivery = delivery;
        this.onClose = onClose;
    }

    /**
     * A long-poll: takes one task, then closes; {@code onClose} answers the poll empty if nothing
     * came. {@code availableSkills}, when the worker sent them, narrows what it takes now.
     */
    static TaskReceiver longPoll(String workerId, Set<String> availableSkills, Consumer<ClaimedTask> delivery,
            Runnable onClose) {
        return new TaskReceiver(workerId, availableSkills, true, 1, delivery, onClose);
    }

    /** A push socket: starts with no room; credits add room. Its first claim starts with the first credit. */
    static TaskReceiver socket(String workerId, Consumer<ClaimedTask> delivery) {
        TaskReceiver receiver = new TaskReceiver(workerId, null, false, 0, delivery, () -> { });
        receiver.state = State.IDLE;
        return receiver;
    }

    String workerId() {
        return workerId;
    }

    /** Whether the worker takes this skill now (all its registered skills unless it said otherwise). */
    boolean accepts(String skill) {
        return availableSkills == null || availableSkills.contains(skill);
    }

    /**
     * Whether an offer should consider this receiver at all: it has room, or a claim is running
     * (which {@link #tryStartClaim()} marks missed). A hint read before the eligibility check.
     */
    synchronized boolean mayTake() {
        return state == State.CLAIMING || (state == State.IDLE && room > 0);
    }

    /** An offer wants to claim for this receiver; false if it has no room, is busy (marked missed) or closed. */
    synchronized boolean tryStartClaim() {
        if (state == State.IDLE && room > 0) {
            state = State.CLAIMING;
            return true;
        }
        if (state == State.CLAIMING) {
            missed = true;
        }
        return false;
    }

    /** The running claim must be followed by a look at the queue, whatever it finds. */
    synchronized void lookAgain() {
        if (state == State.CLAIMING) {
            missed = true;
        }
    }

    /** The worker granted more room; true when the caller must start a claim now. */
    synchronized boolean grant(int slots) {
        room += slots;
        if (state == State.IDLE && room > 0) {
            state = State.CLAIMING;
            return true;
        }
        if (state == State.CLAIMING) {
            missed = true;
        }
        return false;
    }

    /**
     * Records the outcome of a claim run for this receiver and hands a claimed task over.
     *
     * @return true when the caller must look for work again
     */
    boolean claimFinished(Optional<ClaimedTask> claimed) {
        boolean again;
        boolean close;
        synchronized (this) {
            claimed.ifPresent(task -> room--);
            close = closing || (oneShot && claimed.isPresent());
            again = !close && room > 0 && (missed || claimed.isPresent());
            missed = false;
            state = close ? State.CLOSED : again ? State.CLAIMING : State.IDLE;
        }
        claimed.ifPresent(delivery);
        if (close) {
            onClose.run();
        }
        return again;
    }

    /** Stops taking tasks: at once when idle, after the running claim otherwise. */
    void close() {
        boolean now;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            now = state == State.IDLE;
            closing = true;
            if (now) {
                state = State.CLOSED;
            }
        }
        if (now) {
            onClose.run();
        }
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Idle with room: an offer would start a claim for it now. */
    synchronized boolean isWaiting() {
        return state == State.IDLE && room > 0;
    }

    /** Closed, or closing once its running claim ends: it takes no further offers. */
    synchronized boolean isClosing() {
        return closing || state == State.CLOSED;
    }
}
