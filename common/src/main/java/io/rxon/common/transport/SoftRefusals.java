package io.rxon.common.transport;

import static io.rxon.common.transport.JsonReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.IgnoredReason;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;

/**
 * A 200 answer to a result or an event can still say no ({@code "status": "ignored"} or
 * {@code "error"}): nothing to retry, but the caller must know the message was not taken. Routine
 * reasons (a late or duplicate result) are logged quietly so a busy worker's log stays readable.
 */
final class SoftRefusals {

    /** Logs under the transport's name, the category operators already filter on. */
    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());
    private static final String STATUS_IGNORED = "ignored";
    private static final String STATUS_ERROR = "error";
    private static final Set<String> ROUTINE_IGNORE_REASONS = Set.of(IgnoredReason.DEADLINE_EXCEEDED.wire(),
            IgnoredReason.JOB_CANCELLED.wire(), IgnoredReason.DUPLICATE.wire());

    private SoftRefusals() {}

    /** Whether the orchestrator took the result of {@code taskId}. */
    static boolean resultTaken(Optional<JsonNode> reply, String taskId) {
        if (hasStatus(reply, STATUS_IGNORED)) {
            String reason = text(reply.get(), "reason");
            LOG.log(ROUTINE_IGNORE_REASONS.contains(reason) ? Level.INFO : Level.WARNING,
                    "Orchestrator ignored the result of task {0}: {1}", taskId, reason);
            return false;
        }
        return true;
    }

    /** Whether the orchestrator took event {@code eventId}. */
    static boolean eventTaken(Optional<JsonNode> reply, String eventId) {
        if (hasStatus(reply, STATUS_ERROR)) {
            LOG.log(Level.WARNING, "Orchestrator refused event {0} ({1}): {2}", eventId,
                    text(reply.get(), "code"), text(reply.get(), "message"));
            return false;
        }
        if (hasStatus(reply, STATUS_IGNORED)) {
            LOG.log(Level.INFO, "Orchestrator ignored event {0}: {1}", eventId, text(reply.get(), "reason"));
            return false;
        }
        return true;
    }

    private static boolean hasStatus(Optional<JsonNode> reply, String status) {
        return reply.map(node -> status.equals(text(node, "status"))).orElse(false);
    }
}
