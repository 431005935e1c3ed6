package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One task of a replay ({@link Replay}), by kind: what it outputs, raises, or waits for. */
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
            case "fork" -> fork(input);
            case "for" -> forEach(input);
            case "try" -> tryCatch(input);
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

    /** Every branch at once; all must end (their outputs in order), or with {@code compete} the first to end wins. */
    private Outcome fork(JsonNode input) {
        boolean compete = task.path("fork").path("compete").asBoolean(false);
        int[] mark = replay.mark();
        List<Outcome> outcomes = new ArrayList<>();
        for (Tasks.Named branch : Tasks.list(task.path("fork").path("branches"))) {
            String branchKey = key + "/" + branch.name();
            boolean before = replay.started(branchKey) || replay.steps.containsKey(branchKey);
            Outcome outcome = new TaskRunner(replay, branch, branchKey, locals).run(input);
            replay.branch(branchKey, before, outcome);
            outcomes.add(outcome);
        }
        Outcome.Done winner = null;
        ArrayNode outputs = Replay.array();
        long at = 0;
        boolean blocked = false;
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Faulted && (winner == null || !compete)) {
                replay.rewind(mark);
                return outcome;
            }
            if (outcome instanceof Outcome.Done done) {
                outputs.add(done.output());
                at = Math.max(at, done.at());
                winner = winner == null || done.at() < winner.at() ? done : winner;
            } else if (outcome instanceof Outcome.Ended ended) {
                outputs.add(ended.output());
            } else {
                blocked = true;
            }
        }
        if (compete && winner != null) {
            replay.rewind(mark);
            return new Outcome.Done(winner.output(), null, winner.at());
        }
        return blocked ? Outcome.BLOCKED : new Outcome.Done(outputs, null, at);
    }

    /**
     * A branch per item, at most {@code metadata.concurrency} running at once (1 when not given): an
     * item starts only while fewer items are waiting; items that started run on. The output is
     * the list of the items' outputs.
     */
    private Outcome forEach(JsonNode input) {
        JsonNode spec = task.path("for");
        JsonNode items = evaluate(spec.path("in"), input);
        if (!items.isArray()) {
            return new Outcome.Faulted(Errors.of("INVALID_INPUT_ERROR", 400, key + ": for.in is not a list"));
        }
        int cap = Math.max(1, task.path("metadata").path("concurrency").asInt(1));
        String each = spec.path("each").asText("item");
        String at = spec.path("at").asText("index");
        int[] mark = replay.mark();
        ArrayNode outputs = Replay.array();
        int waiting = 0;
        long last = 0;
        for (int i = 0; i < items.size(); i++) {
            String itemKey = key + "[" + i + "]";
            if (waiting >= cap && !replay.started(itemKey)) {
                waiting++;
                continue;
            }
            Map<String, JsonNode> itemLocals = new HashMap<>(locals);
            itemLocals.put(each, items.get(i));
            itemLocals.put(at, IntNode.valueOf(i));
            boolean before = replay.started(itemKey);
            Outcome outcome = replay.runList(task.path("do"), input, itemKey, itemLocals);
            replay.branch(itemKey, before, outcome);
            if (outcome instanceof Outcome.Faulted) {
                replay.rewind(mark);
                return outcome;
            }
            if (outcome instanceof Outcome.Done done) {
                outputs.add(done.output());
                last = Math.max(last, done.at());
            } else if (outcome instanceof Outcome.Ended ended) {
                outputs.add(ended.output());
            } else {
                waiting++;
            }
        }
        return waiting > 0 ? Outcome.BLOCKED : new Outcome.Done(outputs, null, last);
    }

    /** Runs the block; an error the catch matches is retried while the policy allows, then handled by {@code catch.do}. */
    private Outcome tryCatch(JsonNode input) {
        JsonNode catchNode = task.path("catch");
        RetryPolicy policy = RetryPolicy.of(replay.definition.tree(), catchNode.path("retry"));
        int retries = policy.retries();
        String as = catchNode.path("as").asText("error");
        for (int attempt = 0; ; attempt++) {
            String attemptKey = attempt == 0 ? key : key + "~" + attempt;
            if (attempt > 0 && policy.delays()) {
                int retry = attempt;
                Outcome delay = replay.external(attemptKey + "/~delay", named.name(), "wait",
                        () -> Expressions.MAPPER.getNodeFactory().numberNode(policy.delayBefore(retry)));
                if (!(delay instanceof Outcome.Done)) {
                    return delay;
                }
            }
            int[] mark = replay.mark();
            Outcome outcome = replay.runList(task.path("try"), input, attemptKey, locals);
            if (!(outcome instanceof Outcome.Faulted faulted) || !caught(catchNode, as, faulted.error(), input)) {
                return outcome;
            }
            replay.rewind(mark);
            if (attempt < retries) {
                continue;
            }
            if (!catchNode.has("do")) {
                return new Outcome.Done(input, null, 0);
            }
            Map<String, JsonNode> withError = new HashMap<>(locals);
            withError.put(as, faulted.error());
            return replay.runList(catchNode.path("do"), input, key + "/catch", withError);
        }
    }

    private boolean caught(JsonNode catchNode, String as, JsonNode error, JsonNode input) {
        if (!Errors.matches(catchNode.path("errors").path("with"), error)) {
            return false;
        }
        Map<String, JsonNode> withError = new HashMap<>(locals);
        withError.put(as, error);
        JsonNode when = catchNode.path("when");
        if (!when.isMissingNode() && !Expressions.truthy(Expressions.evaluate(when, input,
                replay.variables(input, withError)))) {
            return false;
        }
        JsonNode exceptWhen = catchNode.path("exceptWhen");
        return exceptWhen.isMissingNode() || !Expressions.truthy(Expressions.evaluate(exceptWhen, input,
                replay.variables(input, withError)));
    }
}
