package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code try}'s retry policy ({@code catch.retry}): inline, or the name of one under
 * {@code use.retries}. {@code limit.attempt.count} retries at most (1 when the policy gives no
 * limit); before retry {@code n} (from 1) a timer of {@code delay} grown by the {@code backoff}
 * ({@code constant}: the delay, {@code linear}: delay × n, {@code exponential}: delay × 2^(n−1),
 * at most a day) plus a {@code jitter} drawn between {@code from} and {@code to}. The jitter is
 * drawn when the timer starts and stored with it (its due time), so a replay never draws again.
 */
record RetryPolicy(int retries, long delayMillis, String backoff, long jitterFromMillis, long jitterToMillis) {

    static final List<String> BACKOFFS = List.of("constant", "linear", "exponential");
    static final RetryPolicy NONE = new RetryPolicy(0, 0, "constant", 0, 0);
    private static final long DAY = 86_400_000L;

    /** The policy a catch names, or {@link #NONE}; {@code tree} is the definition (for {@code use.retries}). */
    static RetryPolicy of(JsonNode tree, JsonNode retry) {
        JsonNode policy = resolve(tree, retry);
        if (!policy.isObject()) {
            return NONE;
        }
        JsonNode jitter = policy.path("jitter");
        return new RetryPolicy(policy.path("limit").path("attempt").path("count").asInt(1),
                policy.has("delay") ? Durations.millis(policy.path("delay")) : 0, backoff(policy.path("backoff")),
                jitter.has("from") ? Durations.millis(jitter.path("from")) : 0,
                jitter.has("to") ? Durations.millis(jitter.path("to")) : 0);
    }

    /** An inline policy as it is, a name as the policy it names under {@code use.retries} (missing when none). */
    static JsonNode resolve(JsonNode tree, JsonNode retry) {
        return retry.isTextual() ? tree.path("use").path("retries").path(retry.asText()) : retry;
    }

    /** The backoff's kind: the one field of {@code backoff} ({@code constant} when none is given). */
    static String backoff(JsonNode backoff) {
        return backoff.isObject() && backoff.size() == 1 ? backoff.fieldNames().next() : "constant";
    }

    /** What is wrong with a catch's retry policy at {@code path} (nothing when it is fine). */
    static List<String> problems(JsonNode tree, JsonNode retry, String path) {
        List<String> problems = new ArrayList<>();
        JsonNode policy = resolve(tree, retry);
        if (retry.isTextual() && !policy.isObject()) {
            problems.add(path + ": no retry policy '" + retry.asText() + "' under use.retries");
            return problems;
        }
        if (!policy.isObject()) {
            problems.add(path + ": a retry policy (an object) or the name of one under use.retries");
            return problems;
        }
        duration(policy.path("delay"), path + "/delay", problems);
        JsonNode backoff = policy.path("backoff");
        if (!backoff.isMissingNode() && !(backoff.isObject() && backoff.size() == 1
                && BACKOFFS.contains(backoff.fieldNames().next()))) {
            problems.add(path + "/backoff: one of constant, linear or exponential");
        }
        JsonNode count = policy.path("limit").path("attempt").path("count");
        if (!count.isMissingNode() && !(count.canConvertToInt() && count.asInt() >= 0)) {
            problems.add(path + "/limit/attempt/count: must be a whole number, 0 or more");
        }
        JsonNode jitter = policy.path("jitter");
        duration(jitter.path("from"), path + "/jitter/from", problems);
        duration(jitter.path("to"), path + "/jitter/to", problems);
        if (problems.isEmpty() && of(tree, retry).jitterFromMillis() > of(tree, retry).jitterToMillis()
                && jitter.has("to")) {
            problems.add(path + "/jitter: from is after to");
        }
        return problems;
    }

    private static void duration(JsonNode value, String path, List<String> problems) {
        if (value.isMissingNode()) {
            return;
        }
        try {
            Durations.millis(value);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }

    /** Whether a timer comes before each retry. */
    boolean delays() {
        return delayMillis > 0 || jitterToMillis > 0;
    }

    /** The timer before retry {@code n} (from 1), its jitter drawn now. */
    long delayBefore(int n) {
        long grown = delayMillis;
        if ("linear".equals(backoff)) {
            grown = n >= DAY / Math.max(1, delayMillis) ? DAY : delayMillis * n;
        } else if ("exponential".equals(backoff)) {
            for (int doubled = 1; doubled < n && grown < DAY; doubled++) {
                grown *= 2;
            }
        }
        long jitter = jitterToMillis > jitterFromMillis
                ? ThreadLocalRandom.current().nextLong(jitterFromMillis, jitterToMillis + 1) : jitterFromMillis;
        return Math.min(DAY, Math.max(0, grown)) + jitter;
    }
}
