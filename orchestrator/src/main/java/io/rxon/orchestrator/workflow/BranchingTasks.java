package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of a replay ({@link Replay}) that run branches side by side: {@code fork} (a branch per
 * listed task) and {@code for} (a branch per item). Apart from {@link TaskRunner} because both
 * keep per-branch books (which branch started before, which faulted or won) that a single task has
 * no need of; a fault or a lost race rewinds what the branches started in this replay.
 */
final class BranchingTasks {

    private final Replay replay;
    private final JsonNode task;
    private final String key;
    private final Map<String, JsonNode> locals;

    BranchingTasks(Replay replay, JsonNode task, String key, Map<String, JsonNode> locals) {
        this.replay = replay;
        this.task = task;
        this.key = key;
        this.locals = locals;
    }

    /** Every branch at once; all must end (their outputs in order), or with {@code compete} the first to end wins. */
    Outcome fork(JsonNode input) {
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
    Outcome forEach(JsonNode input) {
        JsonNode spec = task.path("for");
        JsonNode items = Expressions.evaluateDeep(spec.path("in"), input, replay.variables(input, locals));
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
}
