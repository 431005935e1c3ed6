package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Supplier;

/**
 * The interpreter. It runs an instance from its input each time something happened, and every
 * external step (a skill call, a sub-workflow, a timer, a signal) is looked up by its key in the
 * stored steps: an ended one gives its output or error, a running one blocks its branch, an
 * unknown one is to be started. Everything else (set, switch, expressions) is pure, so a replay
 * after a crash takes the same path and never starts a step twice. A step's key is its path in
 * the definition with the visit count of loops, the index of {@code for} items and the attempt of
 * {@code try} retries. See {@link TaskRunner} for the tasks themselves.
 */
final class Replay {

    /** One external step to start, as this replay asked for it. */
    record Start(String key, String task, String kind, JsonNode spec) {}

    /** A fork branch or {@code for} item this replay ran: done (with when its last step ended) or not. */
    record Branch(String key, boolean done, long at, boolean startedBefore) {}

    /** What one replay found: where the instance stands, the steps to start and those no longer needed. */
    record Result(Outcome outcome, List<Start> starts, List<String> abandoned, int transitions,
            List<Branch> branches) {}

    /** The runaway guard: more tasks than the limit. */
    static final class LimitReached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitReached(int limit) {
            super("the workflow ran more than " + limit + " tasks (transition limit)", null, false, false);
        }
    }

    final WorkflowDefinition definition;
    final NavigableMap<String, StepRecord> steps;
    final Map<String, JsonNode> globals = new HashMap<>();
    final List<Start> starts = new ArrayList<>();
    /** Running steps this replay still waits for; any other running step is abandoned. */
    final List<String> waitedFor = new ArrayList<>();
    final List<Branch> branches = new ArrayList<>();
    private final int limit;
    private int transitions;

    Replay(WorkflowDefinition definition, String jobId, JsonNode input, NavigableMap<String, StepRecord> steps,
            int limit) {
        this.definition = definition;
        this.steps = steps;
        this.limit = limit;
        ObjectNode workflow = Expressions.MAPPER.createObjectNode();
        workflow.put("id", jobId);
        workflow.set("input", input);
        globals.put("workflow", workflow);
        globals.put("context", Expressions.MAPPER.createObjectNode());
    }

    Result run(JsonNode input) {
        Outcome outcome;
        try {
            JsonNode from = definition.tree().path("input").path("from");
            JsonNode data = from.isMissingNode() ? input : Expressions.evaluateDeep(from, input, variables(input, Map.of()));
            outcome = runList(definition.tasks(), data, "", Map.of());
            JsonNode as = definition.tree().path("output").path("as");
            if (!as.isMissingNode() && (outcome instanceof Outcome.Done || outcome instanceof Outcome.Ended)) {
                JsonNode output = outcome instanceof Outcome.Done done ? done.output() : ((Outcome.Ended) outcome).output();
                outcome = new Outcome.Done(Expressions.evaluateDeep(as, output, variables(output, Map.of())), null, 0);
            }
        } catch (LimitReached e) {
            outcome = new Outcome.Faulted(Errors.of("LIMIT_EXCEEDED_ERROR", 400, e.getMessage()));
        } catch (Expressions.ExpressionException e) {
            outcome = new Outcome.Faulted(Errors.of("INVALID_INPUT_ERROR", 400, e.getMessage()));
        }
        List<String> abandoned = new ArrayList<>();
        steps.values().stream().filter(step -> StepRecord.RUNNING.equals(step.status()))
                .filter(step -> !waitedFor.contains(step.key())).forEach(step -> abandoned.add(step.key()));
        return new Result(outcome, List.copyOf(starts), abandoned, transitions, List.copyOf(branches));
    }

    /** Runs a task list from its first task, following flow directives, until it ends or blocks. */
    Outcome runList(JsonNode tasks, JsonNode input, String prefix, Map<String, JsonNode> locals) {
        List<Tasks.Named> named = Tasks.list(tasks);
        Map<String, Integer> visits = new HashMap<>();
        JsonNode data = input;
        long at = 0;
        int i = 0;
        while (i < named.size()) {
            if (++transitions > limit) {
                throw new LimitReached(limit);
            }
            Tasks.Named task = named.get(i);
            int visit = visits.merge(task.name(), 1, Integer::sum);
            String key = prefix + "/" + task.name() + (visit > 1 ? "#" + visit : "");
            JsonNode condition = task.task().path("if");
            if (!condition.isMissingNode() && !Expressions.truthy(Expressions.evaluate(condition, data,
                    variables(data, locals)))) {
                i++;
                continue;
            }
            Outcome outcome = new TaskRunner(this, task, key, locals).run(transformIn(task.task(), data, locals));
            if (!(outcome instanceof Outcome.Done done)) {
                return outcome;
            }
            data = transformOut(task.task(), done.output(), locals);
            at = Math.max(at, done.at());
            String then = done.then() != null ? done.then() : Tasks.then(task.task());
            switch (then) {
                case "continue" -> i++;
                case "exit" -> i = named.size();
                case "end" -> {
                    return new Outcome.Ended(data);
                }
                default -> i = indexOf(named, then);
            }
        }
        return new Outcome.Done(data, null, at);
    }

    private JsonNode transformIn(JsonNode task, JsonNode data, Map<String, JsonNode> locals) {
        JsonNode from = task.path("input").path("from");
        return from.isMissingNode() ? data : Expressions.evaluateDeep(from, data, variables(data, locals));
    }

    private JsonNode transformOut(JsonNode task, JsonNode output, Map<String, JsonNode> locals) {
        JsonNode as = task.path("output").path("as");
        JsonNode result = as.isMissingNode() ? output : Expressions.evaluateDeep(as, output, variables(output, locals));
        JsonNode export = task.path("export").path("as");
        if (!export.isMissingNode()) {
            globals.put("context", Expressions.evaluateDeep(export, result, variables(result, locals)));
        }
        return result;
    }

    /** The variables of an expression: the globals, {@code $input}, and the locals of the enclosing tasks. */
    Map<String, JsonNode> variables(JsonNode input, Map<String, JsonNode> locals) {
        Map<String, JsonNode> variables = new HashMap<>(globals);
        variables.put("input", input == null ? NullNode.getInstance() : input);
        variables.putAll(locals);
        return variables;
    }

    /** Looks an external step up; starts it when it is unknown. */
    Outcome external(String key, String task, String kind, Supplier<JsonNode> spec) {
        StepRecord step = steps.get(key);
        if (step == null) {
            // Evaluated only for a step to start: an instance's ended steps cost a replay no expression.
            starts.add(new Start(key, task, kind, spec.get()));
            return Outcome.BLOCKED;
        }
        return switch (step.status()) {
            case StepRecord.SUCCEEDED -> new Outcome.Done(step.output() == null ? NullNode.getInstance() : step.output(),
                    null, step.finishedAt());
            case StepRecord.RUNNING -> {
                waitedFor.add(key);
                yield Outcome.BLOCKED;
            }
            default -> new Outcome.Faulted(step.error() == null
                    ? Errors.of("TRANSIENT_ERROR", 500, "step " + key + " " + step.status()) : step.error());
        };
    }

    /** Notes a branch's outcome, for the {@code branch_started} and {@code branch_finished} events. */
    void branch(String branchKey, boolean startedBefore, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            branches.add(new Branch(branchKey, true, done.at(), startedBefore));
        } else if (outcome instanceof Outcome.Blocked) {
            branches.add(new Branch(branchKey, false, 0, startedBefore));
        }
    }

    /** Whether any step under this key prefix was started already (a started {@code for} item runs on). */
    boolean started(String prefix) {
        String first = steps.ceilingKey(prefix + "/");
        return first != null && first.startsWith(prefix + "/");
    }

    /** Forgets what a failed or losing branch started or waited for since {@code mark}: it is abandoned. */
    void rewind(int[] mark) {
        starts.subList(mark[0], starts.size()).clear();
        waitedFor.subList(mark[1], waitedFor.size()).clear();
    }

    int[] mark() {
        return new int[] {starts.size(), waitedFor.size()};
    }

    static ArrayNode array() {
        return Expressions.MAPPER.createArrayNode();
    }

    private static int indexOf(List<Tasks.Named> named, String name) {
        for (int i = 0; i < named.size(); i++) {
            if (named.get(i).name().equals(name)) {
                return i;
            }
        }
        // The definition checks refuse dangling targets; reaching this means the check missed one.
        throw new IllegalStateException("no task " + name);
    }
}
