package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the DSL's task lists ({@code do: [ {name: task}, ... ]}) and telling a task's kind. */
final class Tasks {

    /** The kinds in the order they are told apart ({@code for} and {@code try} tasks carry a {@code do} too). */
    static final List<String> KINDS = List.of("for", "try", "fork", "switch", "call", "set", "raise", "wait", "listen",
            "run", "emit", "do");

    private Tasks() {}

    /** One named task of a list. */
    record Named(String name, JsonNode task) {}

    static List<Named> list(JsonNode tasks) {
        List<Named> named = new ArrayList<>();
        if (tasks == null || !tasks.isArray()) {
            return named;
        }
        for (JsonNode item : tasks) {
            if (item.isObject() && item.size() == 1) {
                Map.Entry<String, JsonNode> entry = item.fields().next();
                named.add(new Named(entry.getKey(), entry.getValue()));
            }
        }
        return named;
    }

    static String kind(JsonNode task) {
        for (String kind : KINDS) {
            if (task.has(kind)) {
                return kind;
            }
        }
        return "unknown";
    }

    /** The flow directive a task or switch case names ({@code continue} when none). */
    static String then(JsonNode node) {
        JsonNode then = node.path("then");
        return then.isTextual() ? then.asText() : "continue";
    }

    static boolean isDirective(String then) {
        return "continue".equals(then) || "exit".equals(then) || "end".equals(then);
    }
}
