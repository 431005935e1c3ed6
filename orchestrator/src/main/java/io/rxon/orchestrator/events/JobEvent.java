package io.rxon.orchestrator.events;

import io.rxon.common.protocol.WireMessage;
import java.util.List;
import java.util.Map;

/**
 * One entry of a job's event stream, as clients receive it over SSE: lifecycle events
 * ({@code job_created}, {@code task_dispatched}, {@code job_finished}…) and worker events
 * ({@code progress} and custom types). A worker event also names the worker that produced it
 * ({@code origin_worker_id}) and, when it came up a holarchy, the orchestrators it bubbled through
 * ({@code bubbling_chain}, PROTOCOL.md §5.6); both are absent on lifecycle events.
 */
@WireMessage
public record JobEvent(String eventId, String jobId, String taskId, String workerId, String type,
        Map<String, Object> payload, long createdAt, String originWorkerId, List<String> bubblingChain) {

    /** A lifecycle event (no origin, no chain). */
    public JobEvent(String eventId, String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload, long createdAt) {
        this(eventId, jobId, taskId, workerId, type, payload, createdAt, null, null);
    }

    public static JobEvent of(JobEventEntity entity) {
        return new JobEvent(entity.eventId, entity.jobId, entity.taskId, entity.workerId, entity.type, entity.payload,
                entity.createdAt, entity.originWorkerId,
                entity.bubblingChain == null ? null : List.of(entity.bubblingChain));
    }
}
