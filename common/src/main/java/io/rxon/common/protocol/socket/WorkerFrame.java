package io.rxon.common.protocol.socket;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import java.util.Objects;

/**
 * A frame a worker sends up its socket. The reference frame is a bare {@link WorkerEventPayload};
 * the push-dispatch extension adds frames carrying a {@code frame} discriminator, which an event
 * never has. Decoded messages keep the JSON exactly as received because the orchestrator verifies
 * signatures over what was sent, including fields this implementation does not know.
 */
public sealed interface WorkerFrame permits WorkerFrame.Event, WorkerFrame.Credit, WorkerFrame.Result {

    /** A worker event, sent bare as in the reference protocol. */
    record Event(WorkerEventPayload event, JsonNode json) implements WorkerFrame {
        public Event {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(json, "json");
        }

        public static Event of(WorkerEventPayload event) {
            return new Event(event, Json.tree(event));
        }
    }

    /**
     * Incremental credit: the worker can take {@code slots} more pushed tasks. The orchestrator
     * decrements the balance per pushed task and forgets it when the socket closes.
     */
    record Credit(int slots) implements WorkerFrame {
        public Credit {
            if (slots < 0) {
                throw new IllegalArgumentException("credit slots must not be negative, got " + slots);
            }
        }
    }

    /** A task result submitted over the socket; answered by {@link ServerFrame.ResultAck}. */
    record Result(TaskResult result, JsonNode json) implements WorkerFrame {
        public Result {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(json, "json");
        }

        public static Result of(TaskResult result) {
            return new Result(result, Json.tree(result));
        }
    }
}
