package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/** How far a task, a list or a whole instance got in one replay. */
sealed interface Outcome {

    /** Ran to the end with this output; {@code then} overrides the task's own flow (a switch case's); {@code at} is when its last step ended. */
    record Done(JsonNode output, String then, long at) implements Outcome {}

    /** Waits for a step that has not ended yet. */
    record Blocked() implements Outcome {}

    /** Raised this error (a DSL error object: type, status, title, detail). */
    record Faulted(JsonNode error) implements Outcome {}

    /** A task said {@code then: end}: the workflow ends with this output. */
    record Ended(JsonNode output) implements Outcome {}

    Blocked BLOCKED = new Blocked();
}
