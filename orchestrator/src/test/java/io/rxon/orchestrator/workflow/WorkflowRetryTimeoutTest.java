package io.rxon.orchestrator.workflow;

import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.workflow.Workflows.asClient;
import static io.rxon.orchestrator.workflow.Workflows.definition;
import static io.rxon.orchestrator.workflow.Workflows.ended;
import static io.rxon.orchestrator.workflow.Workflows.register;
import static io.rxon.orchestrator.workflow.Workflows.start;
import static io.rxon.orchestrator.workflow.Workflows.steps;
import static io.rxon.orchestrator.workflow.Workflows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry policies (named, with backoff and jitter) and timeouts of tasks that are not calls. */
@QuarkusTest
class WorkflowRetryTimeoutTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL root;

    private static String flakyTry(String skill, String retry) {
        return """
                  - guarded:
                      try:
                        - flaky:
                            call: rxon
                            with:
                              skill: %s
                              max_attempts: 1
                      catch:
                        errors:
                          with:
                            type: TRANSIENT_ERROR
                        retry: %s
                """.formatted(skill, retry);
    }

    /** How long each retry timer was set for: its due time less its start. */
    private static List<Long> delays(Map<String, Object> job) {
        return steps(job).stream().filter(step -> "wait".equals(step.get("kind")))
                .map(step -> ((Number) step.get("due_at")).longValue() - ((Number) step.get("started_at")).longValue())
                .toList();
    }

    @Test
    void shouldRetryWithANamedExponentialPolicyUntilTheCallSucceeds() {
        // given a named policy: 100 ms doubling, three retries; and a call that fails twice, then succeeds
        String skill = uniqueSkill("flaky");
        String name = unique("exponential");
        register(definition(name, """
                use:
                  retries:
                    patient:
                      delay: PT0.1S
                      backoff:
                        exponential: {}
                      limit:
                        attempt:
                          count: 3
                do:
                """ + flakyTry(skill, "patient"))).statusCode(201);
        AtomicInteger calls = new AtomicInteger();
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> calls.incrementAndGet() <= 2
                ? TaskResult.failure(task, id, new TaskError("TRANSIENT_ERROR", "try again", null), SkillWorker.now())
                : TaskResult.success(task, id, Map.of("done", true), SkillWorker.now()), skill)) {

            // when it runs
            Map<String, Object> job = ended(start(name, Map.of()), WITHIN);

            // then it succeeded on the third call, after timers of 100 and 200 ms
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat((Map<String, Object>) job.get("result")).containsEntry("done", true);
            assertThat(delays(job)).containsExactly(100L, 200L);
            assertThat(worker.handled.get()).isEqualTo(3);
        }
    }

    @Test
    void shouldGrowALinearBackoffAndAddAJitterWithinItsBounds() {
        // given a linear 100 ms policy with a jitter of 10 to 50 ms and a call that always fails
        String skill = uniqueSkill("failing");
        String name = unique("linear");
        register(definition(name, "do:\n" + flakyTry(skill, "{delay: {milliseconds: 100}, backoff: {linear: {}},"
                + " jitter: {from: {milliseconds: 10}, to: {milliseconds: 50}}, limit: {attempt: {count: 2}}}")))
                .statusCode(201);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.failure(task, id,
                new TaskError("TRANSIENT_ERROR", "no", null), SkillWorker.now()), skill)) {

            // when it runs
            Map<String, Object> job = ended(start(name, Map.of()), WITHIN);

            // then the caught error ended the try with its input, after timers of 100 and 200 ms plus 10–50 ms each
            assertThat(job.get("status")).isEqualTo("finished");
            List<Long> delays = delays(job);
            assertThat(delays).hasSize(2);
            assertThat(delays.get(0)).isBetween(110L, 150L);
            assertThat(delays.get(1)).isBetween(210L, 250L);
        }
    }

    @Test
    void shouldRefuseRetryPoliciesAndTimeoutsThatDoNotResolveOrParse() {
        // when a catch names a policy that does not exist, or a backoff no one knows, or a task a missing timeout,
        // or the definition uses what the engine does not read (secrets), then each is refused with its problem
        register(definition(unique("nopolicy"), "do:\n" + flakyTry("s", "missing"))).statusCode(400)
                .body("problems", hasItem(containsString("no retry policy 'missing'")));
        register(definition(unique("badbackoff"), "do:\n" + flakyTry("s", "{delay: PT1S, backoff: {random: {}}}")))
                .statusCode(400).body("problems", hasItem(containsString("constant, linear or exponential")));
        register(definition(unique("notimeout"), """
                do:
                  - wait1:
                      wait: PT1S
                      timeout: later
                """)).statusCode(400).body("problems", hasItem(containsString("no timeout 'later'")));
        register(definition(unique("secrets"), """
                use:
                  secrets: [token]
                do:
                  - wait1:
                      wait: PT1S
                """)).statusCode(400).body("problems", hasItem(containsString("use/secrets: not supported yet")));
        register(definition(unique("badtimeout"), """
                do:
                  - wait1:
                      wait: PT1S
                      timeout:
                        after: soon
                """)).statusCode(400).body("problems", hasItem(containsString("timeout/after")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTimeAListenOutIntoItsCatchAndCancelTheStep() {
        // given a listen that waits at most 300 ms, inside a try that catches the timeout
        String name = unique("listentimeout");
        register(definition(name, """
                use:
                  timeouts:
                    brief:
                      after: PT0.3S
                do:
                  - guarded:
                      try:
                        - approval:
                            listen:
                              to:
                                one:
                                  with:
                                    type: approval
                            timeout: brief
                      catch:
                        errors:
                          with:
                            type: TIMEOUT_ERROR
                        as: failure
                        do:
                          - note:
                              set:
                                timed_out: '${ $failure.status }'
                """)).statusCode(201);

        // when no signal comes
        Map<String, Object> job = ended(start(name, Map.of()), WITHIN);

        // then the timer ended first: the listen step is cancelled and the catch ran
        assertThat(job.get("status")).isEqualTo("finished");
        assertThat((Map<String, Object>) job.get("result")).containsEntry("timed_out", 408);
        assertThat(steps(job)).extracting(step -> step.get("step") + " " + step.get("status")).containsExactlyInAnyOrder(
                "/guarded/approval cancelled", "/guarded/approval/~timeout succeeded");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldFailAForkThatOutlivesItsTimeoutAndCancelItsBranches() {
        // given a fork whose branches wait an hour, with a timeout of 300 ms
        String name = unique("forktimeout");
        register(definition(name, """
                do:
                  - both:
                      fork:
                        branches:
                          - slow:
                              wait: PT1H
                          - slower:
                              wait: PT2H
                      timeout:
                        after:
                          milliseconds: 300
                """)).statusCode(201);

        // when it runs
        Map<String, Object> job = ended(start(name, Map.of()), WITHIN);

        // then the job failed with TIMEOUT_ERROR and both branches' timers are cancelled
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((Map<String, Object>) job.get("error")).containsEntry("code", "TIMEOUT_ERROR");
        assertThat(steps(job)).extracting(step -> step.get("step") + " " + step.get("status")).containsExactlyInAnyOrder(
                "/both/slow cancelled", "/both/slower cancelled", "/both/~timeout succeeded");
    }

    @Test
    void shouldLeaveATaskThatEndsInTimeAloneAndCancelItsTimer() {
        // given a wait of 100 ms with a timeout of an hour
        String name = unique("intime");
        register(definition(name, """
                do:
                  - pause:
                      wait: PT0.1S
                      timeout:
                        after: PT1H
                """)).statusCode(201);

        // when it runs, then it finishes and the timeout's timer is cancelled
        Map<String, Object> job = ended(start(name, Map.of()), WITHIN);
        assertThat(job.get("status")).isEqualTo("finished");
        assertThat(steps(job)).extracting(step -> step.get("step") + " " + step.get("status")).containsExactlyInAnyOrder(
                "/pause succeeded", "/pause/~timeout cancelled");
        asClient().when().get("/api/v1/jobs/" + job.get("job_id")).then().statusCode(200);
    }
}
