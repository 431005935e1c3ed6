package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the events of a job that came down from a parent orchestrator for the uplink
 * (docs/HOLARCHY.md), in the transaction that stores them: once the event is acknowledged to the
 * worker, it reaches the parent however long the uplink is down, in the order it was stored. Jobs
 * of this orchestrator's own clients, and every job when it has no parent, cost nothing here.
 */
@ApplicationScoped
public class ParentBoundEvents {

    private final Clock clock;
    private final boolean hasParent;

    public ParentBoundEvents(Clock clock, OrchestratorConfig config) {
        this.clock = clock;
        this.hasParent = config.parent().url().isPresent();
    }

    /** Within the caller's transaction: keeps {@code event} for the parent when {@code job} runs a parent task. */
    @SuppressWarnings("unchecked")
    Uni<Void> keep(JobEntity job, WorkerEventPayload event) {
        if (!hasParent || job.metadata == null || !job.metadata.containsKey(HolarchyStamp.METADATA_KEY)) {
            return Uni.createFrom().voidItem();
        }
        UplinkEventEntity entity = new UplinkEventEntity();
        entity.localJobId = job.id;
        entity.event = Json.convert(new WorkerEventPayload(event.eventId(), event.workerId(), event.originWorkerId(),
                event.eventType(), event.payload(), event.originTaskId(), event.bubblingChain(), event.targetJobId(),
                event.targetTaskId(), event.traceContext(), event.priority(), null, null, event.metadata()),
                Map.class);
        entity.createdAt = clock.millis();
        return entity.persist().replaceWithVoid();
    }

    /**
     * The chain an event arrives with, extended by its sender unless that is its origin or already
     * on it (PROTOCOL.md §5.6): what this orchestrator stores and shows.
     */
    static List<String> chainOnArrival(WorkerEventPayload event, String sender) {
        List<String> chain = new ArrayList<>(event.bubblingChain() == null ? List.of() : event.bubblingChain());
        if (!chain.contains(sender) && !sender.equals(event.originWorkerId())) {
            chain.add(sender);
        }
        return chain;
    }
}
