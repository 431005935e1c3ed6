package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WireMessage;

/**
 * What happened to a submitted result: {@code accepted} with the transition taken, or
 * {@code ignored} with the reason (PROTOCOL.md §4.4, §11.3).
 */
public record ResultOutcome(Response response) {

    /** The wire body. */
    @WireMessage
    public record Response(String status, String transition, String reason, String message) {}

    public boolean isAccepted() {
        return "accepted".equals(response.status());
    }

    public static ResultOutcome accepted(String transition) {
        return new ResultOutcome(new Response("accepted", transition, null, null));
    }

    public static ResultOutcome ignored(String reason, String message) {
        return new ResultOutcome(new Response("ignored", null, reason, message));
    }
}
