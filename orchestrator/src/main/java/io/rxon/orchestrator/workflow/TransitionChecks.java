package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flow of one task list, checked before anything runs: a {@code then} must name a task of the
 * same list (or a directive), and every task must lie on some path from the first one. A
 * definition that fails here would otherwise stall or silently skip work at run time.
 */
final class TransitionChecks {

    private TransitionChecks() {}

    /** The problem with a {@code then} that names no task of the list ({@code siblings}: name to index), or null. */
    static String dangling(String then, String path, Map<String, Integer> siblings) {
        if (!Tasks.isDirective(then) && !siblings.containsKey(then)) {
            return path + "/then: no task '" + then + "' in the same list (dangling transition)";
        }
        return null;
    }

    /** Tasks no path from the list's first task reaches; a task with an {@code if} may also be skipped. */
    static List<String> unreachable(List<Tasks.Named> named, Map<String, Integer> index, String path) {
        Set<Integer> reached = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(0));
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (i >= named.size() || !reached.add(i)) {
                continue;
            }
            for (String exit : exits(named.get(i).task())) {
                if ("continue".equals(exit)) {
                    todo.push(i + 1);
                } else if (index.containsKey(exit)) {
                    todo.push(index.get(exit));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            if (!reached.contains(i)) {
                problems.add(path + "/" + named.get(i).name() + ": unreachable (no path from the first task leads here)");
            }
        }
        return problems;
    }

    /** Where a task may go next: its {@code then}, each switch case's, none after a raise. */
    private static List<String> exits(JsonNode task) {
        List<String> exits = new ArrayList<>();
        if ("switch".equals(Tasks.kind(task))) {
            Tasks.list(task.path("switch")).forEach(c -> exits.add(Tasks.then(c.task())));
        } else if (!"raise".equals(Tasks.kind(task))) {
            exits.add(Tasks.then(task));
        }
        if (task.has("if")) {
            exits.add("continue");
        }
        return exits;
    }
}
