package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A definition as a graph, in Mermaid ({@code flowchart TD}) or Graphviz DOT: one node per task,
 * an edge per flow (next task, {@code then} targets, switch cases); composite tasks (do, fork,
 * for, try) are drawn with their inner lists as clusters entered from the composite's node.
 */
final class WorkflowGraph {

    private final boolean dot;
    private final List<String> lines = new ArrayList<>();
    private int counter;

    private WorkflowGraph(boolean dot) {
        this.dot = dot;
    }

    static String mermaid(WorkflowDefinition definition) {
        return new WorkflowGraph(false).render(definition);
    }

    static String dot(WorkflowDefinition definition) {
        return new WorkflowGraph(true).render(definition);
    }

    private String render(WorkflowDefinition definition) {
        lines.add(dot ? "digraph \"" + definition.name() + "\" {" : "flowchart TD");
        node("start", "start", "circle");
        node("end", "end", "doublecircle");
        String first = list(definition.tasks(), "end");
        edge("start", first, null);
        lines.add(dot ? "}" : "");
        return String.join("\n", lines).strip() + "\n";
    }

    /** Draws a list; returns the id of its entry node. Its last task and {@code exit} lead to {@code after}. */
    private String list(JsonNode tasks, String after) {
        List<Tasks.Named> named = Tasks.list(tasks);
        List<String> ids = new ArrayList<>();
        for (Tasks.Named task : named) {
            String id = "n" + (++counter);
            ids.add(id);
            node(id, task.name() + "\\n" + Tasks.kind(task.task()), "box");
        }
        for (int i = 0; i < named.size(); i++) {
            JsonNode task = named.get(i).task();
            String next = i + 1 < named.size() ? ids.get(i + 1) : after;
            inner(ids.get(i), task);
            if ("switch".equals(Tasks.kind(task))) {
                for (Tasks.Named option : Tasks.list(task.path("switch"))) {
                    edge(ids.get(i), target(Tasks.then(option.task()), named, ids, next, after), option.name());
                }
            } else if (!"raise".equals(Tasks.kind(task))) {
                edge(ids.get(i), target(Tasks.then(task), named, ids, next, after), null);
            }
            if (task.has("if")) {
                edge(ids.get(i), next, "skipped");
            }
        }
        return ids.isEmpty() ? after : ids.get(0);
    }

    private void inner(String id, JsonNode task) {
        switch (Tasks.kind(task)) {
            case "do" -> edge(id, list(task.path("do"), id), "do");
            case "for" -> edge(id, list(task.path("do"), id), "each");
            case "try" -> {
                edge(id, list(task.path("try"), id), "try");
                if (task.path("catch").has("do")) {
                    edge(id, list(task.path("catch").path("do"), id), "catch");
                }
            }
            case "fork" -> {
                for (Tasks.Named branch : Tasks.list(task.path("fork").path("branches"))) {
                    String branchId = "n" + (++counter);
                    node(branchId, branch.name() + "\\n" + Tasks.kind(branch.task()), "box");
                    edge(id, branchId, "branch");
                    inner(branchId, branch.task());
                }
            }
            default -> {
                // A leaf task: nothing inside.
            }
        }
    }

    private static String target(String then, List<Tasks.Named> named, List<String> ids, String next, String after) {
        return switch (then) {
            case "continue" -> next;
            case "exit" -> after;
            case "end" -> "end";
            default -> {
                for (int i = 0; i < named.size(); i++) {
                    if (named.get(i).name().equals(then)) {
                        yield ids.get(i);
                    }
                }
                yield "end";
            }
        };
    }

    private void node(String id, String label, String shape) {
        String text = label.replace("\"", "'");
        if (dot) {
            lines.add("  " + id + " [label=\"" + text + "\", shape=" + shape + "];");
        } else {
            lines.add("  " + id + (shape.equals("box") ? "[\"" + text.replace("\\n", "<br/>") + "\"]"
                    : "((" + text + "))"));
        }
    }

    private void edge(String from, String to, String label) {
        if (dot) {
            lines.add("  " + from + " -> " + to + (label == null ? "" : " [label=\"" + label + "\"]") + ";");
        } else {
            lines.add("  " + from + " -->" + (label == null ? "" : "|" + label.replace("|", "/") + "|") + " " + to);
        }
    }
}
