package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An event emitted by a worker while it runs a task (progress or a custom type). Relaying holons
 * append themselves to {@code bubbling_chain}, which is therefore excluded from the signature.
 */
@WireMessage
public record WorkerEventPayload(
        String eventId,
        String workerId,
        String originWorkerId,
        String eventType,
        Map<String, Object> payload,
        String originTaskId,
        List<String> bubblingChain,
        String targetJobId,
        String targetTaskId,
        Map<String, String> traceContext,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double priority,
        Long timestamp,
        SecurityContext security,
        Map<String, Object> metadata)
        implements Signable<WorkerEventPayload> {

    /** Fields left out of an event signature besides {@code security}. */
    public static final List<String> UNSIGNED_FIELDS = List.of("bubbling_chain");

    public WorkerEventPayload {
        Wire.required(eventId, "event_id");
        Wire.required(workerId, "worker_id");
        Wire.required(originWorkerId, "origin_worker_id");
        Wire.required(eventType, "event_type");
        Wire.required(payload, "payload");
        payload = Wire.map(payload);
        bubblingChain = Wire.list(bubblingChain);
        traceContext = Wire.map(traceContext);
        metadata = Wire.map(metadata);
    }

    /** A {@code progress} event for a task: {@code progress} in 0..1 and a message. */
    public static WorkerEventPayload progress(
            String eventId, String workerId, TaskPayload task, double progress, String message, long timestamp) {
        Map<String, Object> payload = message == null
                ? Map.of("progress", progress)
                : Map.of("progress", progress, "message", message);
        return custom(eventId, workerId, task, Protocol.EVENT_PROGRESS, payload, timestamp);
    }

    /** An event of any type about a task. */
    public static WorkerEventPayload custom(
            String eventId, String workerId, TaskPayload task, String type, Map<String, Object> payload,
            long timestamp) {
        return new WorkerEventPayload(eventId, workerId, task.originWorkerIdOr(workerId), type, payload,
                task.taskId(), List.of(), task.jobId(), task.taskId(), task.tracingContext(), 0.0, timestamp, null,
                null);
    }

    @Override
    public WorkerEventPayload withSecurity(SecurityContext security) {
        return new WorkerEventPayload(eventId, workerId, originWorkerId, eventType, payload, originTaskId,
                bubblingChain, targetJobId, targetTaskId, traceContext, priority, timestamp, security, metadata);
    }
}
