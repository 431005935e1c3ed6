package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.contract.SchemaValidator;
import java.util.List;
import java.util.Set;

/**
 * A checked definition: its name and version (the key it is registered under), the document as
 * it was sent (what {@code GET} returns) and its tree (what the interpreter walks), with the
 * validator of its input schema and the skills its calls use.
 */
record WorkflowDefinition(String name, String version, String document, JsonNode tree, SchemaValidator input,
        Set<String> skills) {

    /** The top-level task list. */
    JsonNode tasks() {
        return tree.path("do");
    }

    /** The workflow's own timeout, in seconds, if it has one ({@code timeout.after}). */
    Integer timeoutSeconds() {
        JsonNode after = tree.path("timeout").path("after");
        if (after.isMissingNode()) {
            return null;
        }
        long millis = Durations.millis(after);
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    /** Skills none of the live workers offers (yet): a warning, not a refusal. */
    List<String> missing(Set<String> offered) {
        return skills.stream().filter(skill -> !offered.contains(skill)).sorted().toList();
    }
}
