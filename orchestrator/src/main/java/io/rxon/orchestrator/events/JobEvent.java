package io.rxon.orchestrator.events;

import io.rxon.common.protocol.WireMessage;
import java.util.Map;

/**
 * One entry of a job's event stream, as clients receive it over SSE: lifecycle events
 * ({@code job_created}, {@code task_dispatched}, {@code job_finished}…) and worker events
 * ({@code progress} and custom types).
 */
@WireMessage
public record JobEvent(String eventId, String jobId, String taskId, String workerId, String type,
        Map<String, Object> payload, long createdAt) {

    public static JobEvent of(JobEventEntity entity) {
        return new JobEvent(entity.eventId, entity.jobId, entity.taskId, entity.workerId, entity.type, entity.payload,
                entity.createdAt);
    }
}
