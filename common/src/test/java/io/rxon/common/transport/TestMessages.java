package io.rxon.common.transport;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Messages and fixed values shared by the transport tests. */
final class TestMessages {

    static final String WORKER_ID = "worker-1";
    static final String TOKEN = "worker-secret-token";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestMessages() {}

    static TaskPayload task(String taskId) {
        return TaskPayload.of("job-1", taskId, "echo", Map.of("text", "hello"));
    }

    static WorkerRegistration registration() {
        return new WorkerRegistration(WORKER_ID, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    static Heartbeat heartbeat() {
        return new Heartbeat(WORKER_ID, WorkerStatus.IDLE.wire(), null, null, null, null, null, null, null, null, null);
    }

    static TaskResult result(String taskId) {
        return new TaskResult("job-1", taskId, WORKER_ID, WORKER_ID, null, Map.of("echo", "hello"), null, null, null,
                null, null, null);
    }

    static WorkerEventPayload event(String eventId) {
        return new WorkerEventPayload(eventId, WORKER_ID, WORKER_ID, Protocol.EVENT_PROGRESS, Map.of("progress", 0.5),
                "task-1", List.of(), "job-1", "task-1", null, 0.0, null, null, null);
    }
}
