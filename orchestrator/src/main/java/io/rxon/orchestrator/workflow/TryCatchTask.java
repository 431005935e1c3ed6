package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@code try} task of a replay ({@link Replay}). Apart from {@link TaskRunner} because its
 * attempts are steps of their own: attempt {@code n} runs under the key {@code key~n}, after a
 * delay step when the retry policy asks for one, so a replay finds each attempt's steps again.
 */
final class TryCatchTask {

    private final Replay replay;
    private final Tasks.Named named;
    private final String key;
    private final Map<String, JsonNode> locals;

    TryCatchTask(Replay replay, Tasks.Named named, String key, Map<String, JsonNode> locals) {
        this.replay = replay;
        this.named = named;
        this.key = key;
        this.locals = locals;
    }

    /** Runs the block; an error the catch matches is retried while the policy allows, then handled by {@code catch.do}. */
    Outcome run(JsonNode input) {
        JsonNode catchNode = named.task().path("catch");
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
            Outcome outcome = replay.runList(named.task().path("try"), input, attemptKey, locals);
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
