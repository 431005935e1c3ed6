package io.rxon.orchestrator.uplink;

import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * Events bubble up (PROTOCOL.md §5.6 and §9): an event about a local job that runs a parent task is
 * re-emitted to the parent with this orchestrator as {@code worker_id}, {@code origin_worker_id}
 * and {@code origin_task_id} unchanged, {@code bubbling_chain} extended by this orchestrator (unless
 * it is the origin or already there) and {@code target_job_id}/{@code target_task_id} rewritten to
 * the parent's ids. The transport signs each hop with this orchestrator's own key, over everything
 * but {@code security} and {@code bubbling_chain}, and stamps it afresh (the parent's replay window
 * is 60 seconds). Events are not spooled, as a worker's are not: one lost with the uplink is lost.
 */
final class EventRelay {

    private final Transport transport;
    private final UplinkStatements statements;

    EventRelay(Transport transport, UplinkStatements statements) {
        this.transport = transport;
        this.statements = statements;
    }

    /** Relays the event when its job runs a parent task; returns whether it did. */
    boolean relay(String localJobId, WorkerEventPayload event) {
        return statements.byLocalJob(localJobId).map(link -> {
            transport.emitEvent(upward(event, transport.workerId(), link.parentJobId(), link.parentTaskId()));
            return true;
        }).orElse(false);
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
