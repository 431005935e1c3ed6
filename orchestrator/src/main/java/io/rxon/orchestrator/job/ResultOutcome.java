package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WireMessage;
import io.rxon.orchestrator.job.PendingTask;
import java.util.Optional;

/**
 * What happened to a submitted result: {@code accepted} with the transition taken, or
 * {@code ignored} with the reason (PROTOCOL.md §4.4, §11.3). A retry carries the new attempt to
 * offer once the transaction has committed.
 */
public record ResultOutcome(Response response, Optional<PendingTask> retry) {

    /** The wire body. */
    @WireMessage
    public record Response(String status, String transition, String reason, String message) {}

    public boolean isAccepted() {
        return "accepted".equals(response.status());
    }

    public static ResultOutcome accepted(String transition) {
        return new ResultOutcome(new Response("accepted", transition, null, null), Optional.empty());
    }

    public static ResultOutcome retried(PendingTask retry) {
        return new ResultOutcome(new Response("accepted", "failure_handled", null, null), Optional.of(retry));
    }

    public static ResultOutcome ignored(String reason, String message) {
        return new ResultOutcome(new Response("ignored", null, reason, message), Optional.empty());
    }
}
