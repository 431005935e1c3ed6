package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.worker.link.LinkSelector;
import io.rxon.worker.task.CapacitySlots;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The long-poll path for tasks, over every orchestrator: only while a slot is free (it reserves
 * the slot first and the task that arrives occupies it), asking the orchestrator the
 * {@link LinkSelector} of the configured mode picks among those that can be asked (registered,
 * not backing off after a failure, not pushing tasks over their socket). Failed polls back off per
 * orchestrator (honouring {@code Retry-After}), so the others are asked meanwhile; an empty poll
 * gives its slot back at once, so push dispatch can turn it into a credit.
 */
public final class PollLoop {

    private static final Duration WAIT_STEP = Duration.ofMillis(250);

    private final List<OrchestratorLink> links;
    private final LinkSelector selector;
    private final CapacitySlots slots;
    private final RuntimeSettings settings;
    private final StopSignal stop = new StopSignal();
    private final Thread thread;

    public PollLoop(List<OrchestratorLink> links, LinkSelector selector, CapacitySlots slots,
            RuntimeSettings settings) {
        this.links = List.copyOf(links);
        this.selector = selector;
        this.slots = slots;
        this.settings = settings;
        this.thread = new Thread(this::run, "rxon-poll");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops polling; a poll in flight is abandoned (its task, if any, is re-dispatched after its lease). */
    public void stop(Duration timeout) {
        stop.stop();
        thread.interrupt();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stop.isStopped()) {
            if (links.stream().noneMatch(OrchestratorLink::canBeAsked)) {
                rest();
                continue;
            }
            Optional<CapacitySlots.Permit> permit;
            try {
                permit = slots.reserve(WAIT_STEP);
            } catch (InterruptedException e) {
                break;
            }
            permit.ifPresent(this::pollOnce);
        }
        Log.debug("poll loop stopped");
    }

    /** Nobody to ask: a single orchestrator that pushes is waited on, else a short pause. */
    private void rest() {
        if (links.size() == 1 && links.get(0).isPushActive()) {
            links.get(0).awaitPushInactive(WAIT_STEP);
        } else {
            stop.pause(WAIT_STEP);
        }
    }

    private void pollOnce(CapacitySlots.Permit permit) {
        boolean handedOver = false;
        try {
            OptionalInt pick = selector.next(links.stream()
                    .map(link -> new LinkSelector.Candidate(link.weight(), link.canBeAsked())).toList());
            if (pick.isEmpty()) {
                return;
            }
            handedOver = links.get(pick.getAsInt()).poll(permit, settings.pollTimeout(), stop);
            selector.answered(pick.getAsInt(), handedOver);
        } finally {
            if (!handedOver) {
                permit.release();
            }
        }
    }
}
