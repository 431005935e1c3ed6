package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rxon.common.protocol.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The signals a {@code listen} task waits for: the event types it names. {@code listen.to.one}
 * names one; {@code listen.to.any} several, of which the first to come resumes the task;
 * {@code listen.to.all} several, each of which must come (in any order). A listen step stores the
 * names it waits for comma-separated (names are identifiers, which have no comma).
 */
final class Signals {

    /** One of the three ways to listen, with the types in the order the definition lists them. */
    record Listen(String mode, List<String> types) {

        static final String ONE = "one";
        static final String ANY = "any";
        static final String ALL = "all";
    }

    private Signals() {}

    static Listen of(JsonNode listenTask) {
        JsonNode to = listenTask.path("listen").path("to");
        for (String mode : List.of(Listen.ANY, Listen.ALL)) {
            if (to.has(mode)) {
                List<String> types = new ArrayList<>();
                to.path(mode).forEach(filter -> types.add(filter.path("with").path("type").asText("")));
                return new Listen(mode, types);
            }
        }
        return new Listen(Listen.ONE, List.of(to.path("one").path("with").path("type").asText("")));
    }

    /**
     * What is wrong with a listen task's {@code listen.to}, or null: exactly one of the three ways,
     * and for {@code any}/{@code all} a list of filters each naming its signal once.
     */
    static String problem(JsonNode listenTask, String path) {
        JsonNode to = listenTask.path("listen").path("to");
        Listen listen = of(listenTask);
        if (to.size() != 1 || !(to.has(Listen.ONE) || to.has(Listen.ANY) || to.has(Listen.ALL))) {
            return path + "/listen/to: exactly one of one, any or all is supported";
        } else if (!Listen.ONE.equals(listen.mode())
                && (!to.path(listen.mode()).isArray() || listen.types().isEmpty())) {
            return path + "/listen/to/" + listen.mode()
                    + ": must list event filters, each with the signal name as with.type";
        } else if (!listen.types().stream().allMatch(Identifiers::isValid)) {
            return path + "/listen/to/" + listen.mode() + ": every filter needs with.type, the signal name";
        } else if (listen.types().stream().distinct().count() != listen.types().size()) {
            return path + "/listen/to/" + listen.mode() + ": a signal name is listed twice";
        }
        return null;
    }

    /**
     * Runs a listen task: one step waiting for its type (or any of its types), or with
     * {@code all} one step per type, the task's output then the list of their payloads in the
     * order the definition lists the types.
     */
    static Outcome run(Replay replay, String key, String task, JsonNode listenTask) {
        Listen listen = of(listenTask);
        if (!Listen.ALL.equals(listen.mode())) {
            return replay.external(key, task, "listen", () -> TextNode.valueOf(String.join(",", listen.types())));
        }
        ArrayNode payloads = Replay.array();
        long at = 0;
        boolean blocked = false;
        for (String type : listen.types()) {
            Outcome outcome = replay.external(key + "/" + type, task, "listen", () -> TextNode.valueOf(type));
            if (outcome instanceof Outcome.Faulted) {
                return outcome;
            }
            if (outcome instanceof Outcome.Done done) {
                payloads.add(done.output());
                at = Math.max(at, done.at());
            } else {
                blocked = true;
            }
        }
        return blocked ? Outcome.BLOCKED : new Outcome.Done(payloads, null, at);
    }

    /** Whether a listen step that stored {@code stored} waits for {@code name}. */
    static boolean waitsFor(String stored, String name) {
        return stored != null && List.of(stored.split(",")).contains(name);
    }

    /** Every signal any listen task of the definition waits for (a signal for none of them is refused). */
    static Set<String> declared(JsonNode tree) {
        Set<String> names = new TreeSet<>();
        collect(tree, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject() && node.has("listen")) {
            names.addAll(of(node).types());
        }
        node.forEach(child -> collect(child, names));
    }
}
