package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Events bubble up (PROTOCOL.md §5.6 and §9): an event about a local job that runs a parent task is
 * re-emitted to the parent with this orchestrator as {@code worker_id}, {@code origin_worker_id}
 * and {@code origin_task_id} unchanged, {@code bubbling_chain} extended by this orchestrator (unless
 * it is the origin or already there) and {@code target_job_id}/{@code target_task_id} rewritten to
 * the parent's ids. The transport signs each hop with this orchestrator's own key, over everything
 * but {@code security} and {@code bubbling_chain}, and stamps it afresh (the parent's replay window
 * is 60 seconds).
 *
 * <p>Events are spooled: the transaction that stored one kept it in {@code uplink_events}
 * (job/ParentBoundEvents), and this relay sends them in the order they were stored, over HTTP so
 * that each is answered, deleting each once the parent has answered it (accepted, ignored as a
 * duplicate or for an ended job, or refused for good). A failure stops the round, so a later event
 * never overtakes an earlier one; the next round starts again with the oldest.
 */
final class EventRelay {

    private static final int BATCH = 100;
    private static final Duration ORPHANED_AFTER = Duration.ofHours(1);

    private final Transport transport;
    private final UplinkEventStatements statements;
    private final Clock clock;
    private final Semaphore wakeUp = new Semaphore(0);

    EventRelay(Transport transport, UplinkEventStatements statements, Clock clock) {
        this.transport = transport;
        this.statements = statements;
        this.clock = clock;
    }

    /** An event was stored: do not wait for the next round. */
    void wake() {
        wakeUp.release();
    }

    /** Waits until woken or {@code interval} passed. */
    void await(Duration interval) throws InterruptedException {
        wakeUp.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
    }

    /** One round: sends the spooled events, oldest first; returns how many the parent answered. */
    int relay() {
        int answered = 0;
        List<UplinkEventStatements.Spooled> spooled;
        do {
            spooled = statements.spooled(BATCH);
            for (UplinkEventStatements.Spooled event : spooled) {
                send(event);
                statements.delete(event.seq());
                answered++;
            }
        } while (spooled.size() == BATCH);
        statements.forgetOrphaned(clock.millis() - ORPHANED_AFTER.toMillis());
        return answered;
    }

    private void send(UplinkEventStatements.Spooled spooled) {
        WorkerEventPayload event = Json.convert(spooled.event(), WorkerEventPayload.class);
        try {
            if (!transport.emitEvent(upward(event, transport.workerId(), spooled.parentJobId(),
                    spooled.parentTaskId()))) {
                Log.debugf("the parent ignored event %s of parent task %s", event.eventId(), spooled.parentTaskId());
            }
        } catch (RxonProtocolException e) {
            if (!e.isRefusedForGood()) {
                throw e;
            }
            // the parent says the event itself is wrong: sending it again cannot help
            Log.warnf("the parent refused event %s of parent task %s for good: %s", event.eventId(),
                    spooled.parentTaskId(), e.getMessage());
        }
    }

    /** Closes the relay's own connection to the parent. */
    void close() {
        transport.close();
    }

    static WorkerEventPayload upward(WorkerEventPayload event, String relay, String parentJobId,
            String parentTaskId) {
        List<String> chain = new ArrayList<>(event.bubblingChain() == null ? List.of() : event.bubblingChain());
        if (!chain.contains(relay) && !relay.equals(event.originWorkerId())) {
            chain.add(relay);
        }
        return new WorkerEventPayload(event.eventId(), relay, event.originWorkerId(), event.eventType(),
                event.payload(), event.originTaskId(), chain, parentJobId, parentTaskId, event.traceContext(),
                event.priority(), null, null, event.metadata());
    }
}
