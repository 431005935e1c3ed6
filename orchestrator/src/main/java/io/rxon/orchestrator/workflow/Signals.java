package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/** The signal a {@code listen} task waits for: the event type it names ({@code listen.to.one.with.type}). */
final class Signals {

    private Signals() {}

    static String name(JsonNode listenTask) {
        return listenTask.path("listen").path("to").path("one").path("with").path("type").asText("");
    }
}
