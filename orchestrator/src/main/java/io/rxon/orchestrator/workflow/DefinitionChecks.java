package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the DSL's schema cannot see: task kinds this orchestrator runs, {@code call: rxon} with a
 * valid skill, {@code then} targets that exist (no dangling transitions), tasks every path skips
 * (unreachable), expressions that compile, durations that parse. Each problem is one line naming
 * the task by its path.
 */
final class DefinitionChecks {

    private final List<String> problems = new ArrayList<>();
    private final Set<String> skills = new TreeSet<>();
    /** The whole definition: named retry policies and timeouts ({@code use}) are looked up in it. */
    private final JsonNode tree;

    DefinitionChecks(JsonNode tree) {
        this.tree = tree;
    }

    List<String> problems() {
        return problems;
    }

    Set<String> skills() {
        return skills;
    }

    void checkList(JsonNode tasks, String path) {
        List<Tasks.Named> named = Tasks.list(tasks);
        if (!tasks.isArray() || named.isEmpty() || named.size() != tasks.size()) {
            problems.add(path + ": must be a non-empty list of single named tasks");
            return;
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < named.size(); i++) {
            if (index.putIfAbsent(named.get(i).name(), i) != null) {
                problems.add(path + "/" + named.get(i).name() + ": the name is used twice in one list");
            }
        }
        for (Tasks.Named task : named) {
            checkTask(task, path + "/" + task.name(), index);
        }
        problems.addAll(TransitionChecks.unreachable(named, index, path));
    }

    private void checkTask(Tasks.Named named, String path, Map<String, Integer> siblings) {
        JsonNode task = named.task();
        if (!task.isObject()) {
            problems.add(path + ": a task must be an object");
            return;
        }
        addIfAny(TransitionChecks.dangling(Tasks.then(task), path, siblings));
        expressions(task.path("if"), path + "/if");
        expressions(task.path("input").path("from"), path + "/input/from");
        expressions(task.path("output").path("as"), path + "/output/as");
        expressions(task.path("export").path("as"), path + "/export/as");
        addIfAny(Timeouts.problem(tree, task, path));
        switch (Tasks.kind(task)) {
            case "call" -> call(task, path);
            case "do" -> checkList(task.path("do"), path + "/do");
            case "set" -> expressions(task.path("set"), path + "/set");
            case "raise" -> expressions(task.path("raise"), path + "/raise");
            case "switch" -> switchCases(task, path, siblings);
            case "fork" -> fork(task, path);
            case "for" -> forEach(task, path);
            case "try" -> tryCatch(task, path);
            case "wait" -> duration(task.path("wait"), path + "/wait");
            case "listen" -> addIfAny(Signals.problem(task, path));
            case "run" -> run(task, path);
            default -> problems.add(path + ": " + Tasks.kind(task) + " tasks are not supported yet (docs/WORKFLOWS.md)");
        }
    }

    private void call(JsonNode task, String path) {
        if (!"rxon".equals(task.path("call").asText())) {
            problems.add(path + ": only 'call: rxon' is supported, not '" + task.path("call").asText() + "'");
            return;
        }
        JsonNode with = task.path("with");
        String skill = with.path("skill").asText("");
        if (!Identifiers.isValid(skill)) {
            problems.add(path + "/with/skill: a skill name is required (letters, digits, '_' and '-')");
        } else {
            skills.add(skill);
        }
        if (!with.path("params").isMissingNode() && !with.path("params").isObject()
                && !Expressions.isExpression(with.path("params"))) {
            problems.add(path + "/with/params: must be an object or an expression");
        }
        if (with.has("timeout")) {
            duration(with.path("timeout"), path + "/with/timeout");
        }
        expressions(with, path + "/with");
    }

    private void switchCases(JsonNode task, String path, Map<String, Integer> siblings) {
        for (Tasks.Named named : Tasks.list(task.path("switch"))) {
            String casePath = path + "/switch/" + named.name();
            expressions(named.task().path("when"), casePath + "/when");
            addIfAny(TransitionChecks.dangling(Tasks.then(named.task()), casePath, siblings));
        }
    }

    private void fork(JsonNode task, String path) {
        checkList(task.path("fork").path("branches"), path + "/fork/branches");
    }

    private void forEach(JsonNode task, String path) {
        JsonNode in = task.path("for").path("in");
        if (!Expressions.isExpression(in) && !in.isArray()) {
            problems.add(path + "/for/in: must be an expression or a list");
        }
        expressions(in, path + "/for/in");
        JsonNode cap = task.path("metadata").path("concurrency");
        if (!cap.isMissingNode() && (!cap.canConvertToInt() || cap.asInt() < 1)) {
            problems.add(path + "/metadata/concurrency: must be a positive whole number");
        }
        checkList(task.path("do"), path + "/do");
    }

    private void tryCatch(JsonNode task, String path) {
        checkList(task.path("try"), path + "/try");
        JsonNode catchNode = task.path("catch");
        expressions(catchNode.path("when"), path + "/catch/when");
        expressions(catchNode.path("exceptWhen"), path + "/catch/exceptWhen");
        if (catchNode.has("do")) {
            checkList(catchNode.path("do"), path + "/catch/do");
        }
        if (catchNode.has("retry")) {
            problems.addAll(RetryPolicy.problems(tree, catchNode.path("retry"), path + "/catch/retry"));
        }
    }

    private void run(JsonNode task, String path) {
        JsonNode workflow = task.path("run").path("workflow");
        if (!Identifiers.isValid(workflow.path("name").asText(""))) {
            problems.add(path + "/run/workflow/name: only 'run: workflow' with a workflow name is supported");
        }
        expressions(workflow.path("input"), path + "/run/workflow/input");
    }

    private void duration(JsonNode value, String path) {
        try {
            Durations.millis(value);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }

    private void expressions(JsonNode value, String path) {
        List<String> found = new ArrayList<>();
        Expressions.collect(value, found);
        for (String expression : found) {
            String problem = Expressions.problem(expression);
            if (problem != null) {
                problems.add(path + ": " + problem);
            }
        }
    }

    /** The checks of single concerns answer one problem or null. */
    private void addIfAny(String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
