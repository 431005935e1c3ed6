package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One task of a replay ({@link Replay}), by kind: what it outputs, raises, or waits for. The tasks
 * that hold branches or attempts of their own go to {@link BranchingTasks} and {@link TryCatchTask}.
 */
final class TaskRunner {

    private final Replay replay;
    private final Tasks.Named named;
    private final JsonNode task;
    private final String key;
    private final Map<String, JsonNode> locals;

    TaskRunner(Replay replay, Tasks.Named named, String key, Map<String, JsonNode> locals) {
        this.replay = replay;
        this.named = named;
        this.task = named.task();
        this.key = key;
        this.locals = locals;
    }

    Outcome run(JsonNode input) {
        long timeout = Timeouts.of(replay.definition.tree(), task);
        return timeout < 0 ? runKind(input) : Timeouts.bound(replay, key, named.name(), timeout, () -> runKind(input));
    }

    private Outcome runKind(JsonNode input) {
        return switch (Tasks.kind(task)) {
            case "set" -> new Outcome.Done(set(input), null, 0);
            case "switch" -> new Outcome.Done(input, chosenCase(input), 0);
            case "raise" -> new Outcome.Faulted(raised(input));
            case "do" -> replay.runList(task.path("do"), input, key, locals);
            case "call" -> replay.external(key, named.name(), "call", () -> evaluate(task.path("with"), input));
            case "run" -> replay.external(key, named.name(), "run",
                    () -> evaluate(task.path("run").path("workflow"), input));
            case "wait" -> passThrough(replay.external(key, named.name(), "wait", () -> Expressions.MAPPER
                    .getNodeFactory().numberNode(Durations.millis(task.path("wait")))), input);
            case "listen" -> Signals.run(replay, key, named.name(), task);
            case "fork" -> new BranchingTasks(replay, task, key, locals).fork(input);
            case "for" -> new BranchingTasks(replay, task, key, locals).forEach(input);
            case "try" -> new TryCatchTask(replay, named, key, locals).run(input);
            default -> new Outcome.Faulted(Errors.of("INVALID_INPUT_ERROR", 400, "unsupported task " + key));
        };
    }

    /** A timer outputs what it was given. */
    private static Outcome passThrough(Outcome outcome, JsonNode input) {
        return outcome instanceof Outcome.Done done ? new Outcome.Done(input, null, done.at()) : outcome;
    }

    private JsonNode evaluate(JsonNode value, JsonNode input) {
        return Expressions.evaluateDeep(value, input, replay.variables(input, locals));
    }

    /** {@code set} adds its fields to an object input; any other input is replaced. */
    private JsonNode set(JsonNode input) {
        JsonNode value = evaluate(task.path("set"), input);
        if (input != null && input.isObject() && value.isObject()) {
            ObjectNode merged = ((ObjectNode) input).deepCopy();
            merged.setAll((ObjectNode) value);
            return merged;
        }
        return value;
    }

    private String chosenCase(JsonNode input) {
        for (Tasks.Named option : Tasks.list(task.path("switch"))) {
            JsonNode when = option.task().path("when");
            if (when.isMissingNode() || Expressions.truthy(Expressions.evaluate(when, input,
                    replay.variables(input, locals)))) {
                return Tasks.then(option.task());
            }
        }
        return "continue";
    }

    private JsonNode raised(JsonNode input) {
        JsonNode error = evaluate(task.path("raise").path("error"), input);
        ObjectNode raised = Errors.of(error.path("type").asText("RAISED"), error.path("status").asInt(400),
                error.path("detail").asText(error.path("title").asText("")));
        if (error.has("title")) {
            raised.put("title", error.path("title").asText());
        }
        return raised;
    }
}
