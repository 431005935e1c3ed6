package io.rxon.orchestrator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The orchestrator's rules for worker messages beyond their JSON shape, the same over HTTP and
 * the socket: bounded lengths for the short strings it stores or indexes (an over-long
 * {@code event_id} cannot even be indexed), numbers where matching compares numbers, and (except
 * for results, see {@link WorkerInbox}) only content PostgreSQL can store.
 */
public final class WorkerMessages {

    /** Longest id, type or status string kept in an indexed or short column. */
    public static final int MAX_SHORT_STRING = 128;

    /** Resource properties that matching compares as numbers (PROTOCOL.md §6). */
    private static final Set<String> NUMERIC_PROPERTIES = Set.of("vram_gb", "memory_gb", "ram_gb", "cpu_cores");

    private WorkerMessages() {}

    public static WorkerRegistration registration(JsonNode raw) {
        WorkerRegistration registration = JsonBodies.decode(JsonBodies.storable(raw), WorkerRegistration.class);
        shortString(registration.workerType(), "worker_type");
        if (registration.resources() != null) {
            numeric(registration.resources().properties(), "resources.properties");
            List<HardwareDevice> devices = registration.resources().devices();
            for (HardwareDevice device : devices == null ? List.<HardwareDevice>of() : devices) {
                if (device == null) {
                    throw new InvalidRequestException("resources.devices must not contain null");
                }
                numeric(device.properties(), "resources.devices[].properties");
            }
        }
        return registration;
    }

    public static Heartbeat heartbeat(JsonNode raw) {
        Heartbeat heartbeat = JsonBodies.decode(JsonBodies.storable(raw), Heartbeat.class);
        if (heartbeat.status() == null || heartbeat.status().isEmpty()) {
            throw new InvalidRequestException("status is required");
        }
        shortString(heartbeat.status(), "status");
        return heartbeat;
    }

    public static WorkerEventPayload event(JsonNode raw) {
        WorkerEventPayload event = JsonBodies.decode(JsonBodies.storable(raw), WorkerEventPayload.class);
        shortString(event.eventId(), "event_id");
        shortString(event.eventType(), "event_type");
        shortString(event.targetJobId(), "target_job_id");
        shortString(event.targetTaskId(), "target_task_id");
        return event;
    }

    /** A result's addressing fields; its content is checked by {@link WorkerInbox}, which can still end the task. */
    static TaskResult result(JsonNode raw) {
        TaskResult result = JsonBodies.decode(raw, TaskResult.class);
        storableShortString(result.jobId(), "job_id");
        storableShortString(result.taskId(), "task_id");
        storableShortString(result.status(), "status");
        return result;
    }

    private static void storableShortString(String value, String field) {
        StorableJson.problem(value, field).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        shortString(value, field);
    }

    private static void shortString(String value, String field) {
        if (value != null && value.length() > MAX_SHORT_STRING) {
            throw new InvalidRequestException(field + " must be at most " + MAX_SHORT_STRING + " characters, got "
                    + value.length());
        }
    }

    private static void numeric(Map<String, Object> properties, String where) {
        if (properties == null) {
            return;
        }
        for (String key : NUMERIC_PROPERTIES) {
            Object value = properties.get(key);
            if (value != null && !(value instanceof Number number && Double.isFinite(number.doubleValue())
                    && number.doubleValue() >= 0)) {
                throw new InvalidRequestException(where + "." + key + " must be a non-negative number");
            }
        }
    }
}
