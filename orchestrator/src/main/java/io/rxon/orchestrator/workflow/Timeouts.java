package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/**
 * A task's own {@code timeout} ({@code timeout.after}, or the name of one under
 * {@code use.timeouts}), for any kind of task: while the task waits (a listen, a wait, a fork whose
 * branches run, a call), a timer step {@code <task>/~timeout} runs beside it. If the timer ends
 * first, the task raises {@code TIMEOUT_ERROR} (status 408, catchable) and its running steps are
 * abandoned; if the task ends first, nothing waits for the timer any more and it is abandoned.
 */
final class Timeouts {

    private Timeouts() {}

    /** The task's {@code timeout.after} in milliseconds, or -1 when it has none. */
    static long of(JsonNode tree, JsonNode task) {
        JsonNode timeout = task.path("timeout");
        if (timeout.isMissingNode()) {
            return -1;
        }
        JsonNode resolved = timeout.isTextual() ? tree.path("use").path("timeouts").path(timeout.asText()) : timeout;
        return Durations.millis(resolved.path("after"));
    }

    /** What is wrong with a task's {@code timeout} at {@code path}, or null. */
    static String problem(JsonNode tree, JsonNode task, String path) {
        JsonNode timeout = task.path("timeout");
        if (timeout.isTextual() && !tree.path("use").path("timeouts").path(timeout.asText()).isObject()) {
            return path + "/timeout: no timeout '" + timeout.asText() + "' under use.timeouts";
        }
        try {
            of(tree, task);
            return null;
        } catch (IllegalArgumentException e) {
            return path + "/timeout/after: " + e.getMessage();
        }
    }

    /** Runs {@code body}, the task, within its timeout. */
    static Outcome bound(Replay replay, String key, String task, long millis, Supplier<Outcome> body) {
        String timerKey = key + "/~timeout";
        StepRecord timer = replay.steps.get(timerKey);
        if (timer != null && StepRecord.SUCCEEDED.equals(timer.status())) {
            // Not run again: what the task still has running is waited for no more, so it is abandoned.
            return timedOut(key, millis);
        }
        Outcome outcome = body.get();
        if (!(outcome instanceof Outcome.Blocked)) {
            return outcome;
        }
        Outcome started = replay.external(timerKey, task, "wait",
                () -> Expressions.MAPPER.getNodeFactory().numberNode(millis));
        return started instanceof Outcome.Done ? timedOut(key, millis) : outcome;
    }

    private static Outcome timedOut(String key, long millis) {
        return new Outcome.Faulted(Errors.of("TIMEOUT_ERROR", 408, key + " did not end within " + millis + " ms"));
    }
}
