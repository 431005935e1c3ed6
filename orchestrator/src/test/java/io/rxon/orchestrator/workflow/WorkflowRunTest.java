package io.rxon.orchestrator.workflow;

import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.workflow.Workflows.asClient;
import static io.rxon.orchestrator.workflow.Workflows.definition;
import static io.rxon.orchestrator.workflow.Workflows.ended;
import static io.rxon.orchestrator.workflow.Workflows.job;
import static io.rxon.orchestrator.workflow.Workflows.register;
import static io.rxon.orchestrator.workflow.Workflows.start;
import static io.rxon.orchestrator.workflow.Workflows.steps;
import static io.rxon.orchestrator.workflow.Workflows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Workflows run by the real orchestrator on the embedded PostgreSQL, their skill calls taken by
 * real workers over the HTTP worker protocol.
 */
@QuarkusTest
class WorkflowRunTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL root;

    private static Number number(Object value) {
        return (Number) value;
    }

    @Test
    void shouldRunASequenceWhoseStepsPassTheirOutputOn() {
        // given a workflow that doubles twice, with a set in between, and a worker that doubles
        String skill = uniqueSkill("double");
        String name = unique("seq");
        register(definition(name, """
                do:
                  - first:
                      call: rxon
                      with:
                        skill: %1$s
                        params:
                          n: '${ .n }'
                  - label:
                      set:
                        label: '${ "n=" + (.n | tostring) }'
                  - second:
                      call: rxon
                      with:
                        skill: %1$s
                        params:
                          n: '${ .n }'
                          label: '${ .label }'
                """.formatted(skill))).statusCode(201);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.success(task, id,
                Map.of("n", number(task.params().get("n")).intValue() * 2, "label", String.valueOf(task.params()
                        .getOrDefault("label", ""))), SkillWorker.now()), skill)) {

            // when it runs on input n = 3
            Map<String, Object> job = ended(start(name, Map.of("n", 3)), WITHIN);

            // then the steps ran in order, each on the worker, and the output is the last step's
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat((Map<String, Object>) job.get("result")).containsEntry("n", 12).containsEntry("label", "n=6");
            assertThat(steps(job)).extracting(step -> step.get("step")).containsExactly("/first", "/second");
            assertThat(steps(job)).allSatisfy(step -> {
                assertThat(step.get("status")).isEqualTo("succeeded");
                assertThat(step.get("worker_id")).isEqualTo(worker.workerId());
                assertThat(step.get("attempts")).isEqualTo(1);
            });
            assertThat(job.get("workflow")).isEqualTo(name);
        }
    }

    @Test
    void shouldTakeTheSwitchCaseThatAResultChooses() {
        // given a classifier whose result decides between two paths
        String classify = uniqueSkill("classify");
        String shrink = uniqueSkill("shrink");
        String name = unique("switch");
        register(definition(name, """
                do:
                  - classify:
                      call: rxon
                      with:
                        skill: %s
                        params:
                          n: '${ .n }'
                  - decide:
                      switch:
                        - big:
                            when: '${ .size == "big" }'
                            then: shrink
                        - default:
                            then: keep
                  - shrink:
                      call: rxon
                      with:
                        skill: %s
                      then: end
                  - keep:
                      set:
                        kept: true
                """.formatted(classify, shrink))).statusCode(201);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.success(task, id,
                task.type().equals(classify)
                        ? Map.of("size", number(task.params().get("n")).intValue() > 10 ? "big" : "small")
                        : Map.of("shrunk", true), SkillWorker.now()), classify, shrink)) {

            // when one instance gets a big input and one a small one
            Map<String, Object> big = ended(start(name, Map.of("n", 20)), WITHIN);
            Map<String, Object> small = ended(start(name, Map.of("n", 2)), WITHIN);

            // then each took its case
            assertThat((Map<String, Object>) big.get("result")).containsEntry("shrunk", true);
            assertThat(steps(big)).extracting(step -> step.get("task")).containsExactly("classify", "shrink");
            assertThat((Map<String, Object>) small.get("result")).containsEntry("kept", true).containsEntry("size", "small");
            assertThat(steps(small)).extracting(step -> step.get("task")).containsExactly("classify");
        }
    }

    @Test
    void shouldJoinForkedBranchesAndAggregateTheirOutputs() {
        // given two branches calling a skill at once, then an aggregation of their outputs
        String skill = uniqueSkill("part");
        String name = unique("fork");
        register(definition(name, """
                do:
                  - fan:
                      fork:
                        branches:
                          - left:
                              call: rxon
                              with:
                                skill: %1$s
                                params:
                                  part: 1
                          - right:
                              call: rxon
                              with:
                                skill: %1$s
                                params:
                                  part: 2
                  - total:
                      set:
                        total: '${ map(.value) | add }'
                """.formatted(skill))).statusCode(201);

        // when it starts, both branches' tasks are queued before any worker answers
        String jobId = start(name, Map.of());
        await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 2);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.success(task, id,
                Map.of("value", task.params().get("part")), SkillWorker.now()), skill)) {

            // then the join sees both outputs
            Map<String, Object> job = ended(jobId, WITHIN);
            assertThat((Map<String, Object>) job.get("result")).containsEntry("total", 3);

            // and the job's event stream told each step and branch as it started and ended
            String events = asClient().accept("text/event-stream").when().get("/api/v1/jobs/" + jobId + "/events")
                    .then().statusCode(200).extract().asString();
            assertThat(events).contains("\"step_started\"", "\"step_finished\"", "\"branch_started\"",
                    "\"branch_finished\"", "/fan/left", "/fan/right", "\"job_finished\"");
        }
    }

    @Test
    void shouldRunAHundredItemsAtMostEightAtATime() {
        // given a for over 100 items with a concurrency cap of 8
        String skill = uniqueSkill("square");
        String name = unique("for");
        register(definition(name, """
                do:
                  - each:
                      for:
                        each: item
                        in: '${ .items }'
                      metadata:
                        concurrency: 8
                      do:
                        - square:
                            call: rxon
                            with:
                              skill: %s
                              params:
                                v: '${ $item }'
                  - sum:
                      set:
                        total: '${ map(.v) | add }'
                """.formatted(skill))).statusCode(201);

        // when it starts with no worker yet, then exactly 8 items are started and stay 8
        String jobId = start(name, Map.of("items", IntStream.range(0, 100).boxed().toList()));
        await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 8);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> steps(job(jobId)).size() == 8);

        // and once workers answer, every item runs, never more than 8 at once, and the sum is right
        try (SkillWorker one = SkillWorker.start(root, WorkflowRunTest::square, skill);
                SkillWorker two = SkillWorker.start(root, WorkflowRunTest::square, skill)) {
            Map<String, Object> job = ended(jobId, Duration.ofSeconds(90));
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat((Map<String, Object>) job.get("result")).containsEntry("total", 328_350);
            assertThat(steps(job)).hasSize(100);
            assertThat(maxOverlap(steps(job))).isLessThanOrEqualTo(8);
        }
    }

    private static TaskResult square(TaskPayload task, String workerId) {
        int v = number(task.params().get("v")).intValue();
        return TaskResult.success(task, workerId, Map.of("v", v * v), SkillWorker.now());
    }

    /** The most steps that were running at one instant. */
    private static int maxOverlap(List<Map<String, Object>> steps) {
        int max = 0;
        for (Map<String, Object> step : steps) {
            long at = number(step.get("started_at")).longValue();
            int running = (int) steps.stream().filter(other -> number(other.get("started_at")).longValue() <= at
                    && number(other.get("finished_at")).longValue() > at).count();
            max = Math.max(max, running);
        }
        return max;
    }

    @Test
    void shouldRunASubWorkflowAsAChildJob() {
        // given a child workflow and a parent that runs it
        String skill = uniqueSkill("echo");
        String child = unique("child");
        String parent = unique("parent");
        register(definition(child, """
                do:
                  - echo:
                      call: rxon
                      with:
                        skill: %s
                        params:
                          v: '${ .v }'
                """.formatted(skill))).statusCode(201);
        register(definition(parent, """
                do:
                  - sub:
                      run:
                        workflow:
                          namespace: test
                          name: %s
                          version: '1.0.0'
                          input:
                            v: '${ .v }'
                  - wrap:
                      set:
                        wrapped: true
                """.formatted(child))).statusCode(201);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.success(task, id,
                Map.of("echo", task.params().get("v")), SkillWorker.now()), skill)) {

            // when the parent runs
            Map<String, Object> job = ended(start(parent, Map.of("v", "hello")), WITHIN);

            // then the child ran as a job of its own, and its output went on in the parent
            assertThat((Map<String, Object>) job.get("result")).containsEntry("echo", "hello")
                    .containsEntry("wrapped", true);
            Map<String, Object> step = steps(job).get(0);
            assertThat(step.get("kind")).isEqualTo("run");
            Map<String, Object> childJob = job((String) step.get("child_job_id"));
            assertThat(childJob.get("workflow")).isEqualTo(child);
            assertThat(childJob.get("parent_job_id")).isEqualTo(job.get("job_id"));
            assertThat(childJob.get("status")).isEqualTo("finished");
        }
    }

    @Test
    void shouldRetryATransientErrorThenCatchIt() {
        // given a call that always fails with TRANSIENT_ERROR, retried twice after a delay by the workflow, then caught
        String skill = uniqueSkill("flaky");
        String name = unique("retry");
        register(definition(name, """
                do:
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
                        as: failure
                        retry:
                          delay:
                            milliseconds: 100
                          limit:
                            attempt:
                              count: 2
                        do:
                          - note:
                              set:
                                caught: '${ $failure.code }'
                """.formatted(skill))).statusCode(201);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.failure(task, id,
                new TaskError("TRANSIENT_ERROR", "try again", null), SkillWorker.now()), skill)) {

            // when it runs
            Map<String, Object> job = ended(start(name, Map.of()), WITHIN);

            // then the call ran three times, failed each time, with a timer before each retry, and the catch
            // handled the last failure
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat((Map<String, Object>) job.get("result")).containsEntry("caught", "TRANSIENT_ERROR");
            assertThat(steps(job)).extracting(step -> step.get("kind") + " " + step.get("status")).containsExactly(
                    "call failed", "wait succeeded", "call failed", "wait succeeded", "call failed");
            assertThat(worker.handled.get()).isEqualTo(3);
        }
    }

    @Test
    void shouldWaitForASignalAndResumeWithItsPayload() {
        // given a workflow waiting for an approval
        String name = unique("approval");
        register(definition(name, """
                do:
                  - approval:
                      listen:
                        to:
                          one:
                            with:
                              type: approval
                  - decide:
                      switch:
                        - approved:
                            when: '${ .approved }'
                            then: publish
                        - default:
                            then: end
                  - publish:
                      set:
                        published: true
                """)).statusCode(201);
        String jobId = start(name, Map.of());
        await().atMost(WITHIN).until(() -> List.of("/approval").equals(job(jobId).get("current_steps")));

        // when another signal comes, nothing listens for it; when the approval comes, it resumes
        asClient().contentType("application/json").body("{}").when()
                .post("/api/v1/jobs/" + jobId + "/signals/other").then().statusCode(409);
        asClient().contentType("application/json").body("{\"approved\": true}").when()
                .post("/api/v1/jobs/" + jobId + "/signals/approval").then().statusCode(202)
                .body("step", equalTo("/approval"));

        // then it ran on with the payload
        Map<String, Object> job = ended(jobId, WITHIN);
        assertThat((Map<String, Object>) job.get("result")).containsEntry("approved", true)
                .containsEntry("published", true);
    }

    @Test
    void shouldStopEveryBranchAndItsWorkerWhenCancelledMidFork() {
        // given a fork whose two branches wait on a skill, one of them taken by a worker
        String skill = uniqueSkill("slow");
        String name = unique("cancel");
        register(definition(name, """
                do:
                  - fan:
                      fork:
                        branches:
                          - one:
                              call: rxon
                              with:
                                skill: %1$s
                          - two:
                              call: rxon
                              with:
                                skill: %1$s
                """.formatted(skill))).statusCode(201);
        String workerId = Fixtures.uniqueWorker("holder");
        Transport worker = Fixtures.registeredWorker(root, workerId, skill);
        String jobId = start(name, Map.of());
        TaskPayload taken = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when the workflow job is cancelled
        asClient().when().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200);

        // then it, both steps and both step jobs are cancelled, and the worker's late result is ignored
        Map<String, Object> job = job(jobId);
        assertThat(job.get("status")).isEqualTo("cancelled");
        assertThat(steps(job)).hasSize(2).allSatisfy(step -> {
            assertThat(step.get("status")).isEqualTo("cancelled");
            assertThat(job((String) step.get("child_job_id")).get("status")).isEqualTo("cancelled");
        });
        assertThat(worker.sendResult(TaskResult.success(taken, workerId, Map.of(), SkillWorker.now()))).isFalse();
        worker.close();
    }

    @Test
    void shouldFailAWorkflowPastItsTimeoutAndStopItsSteps() {
        // given a workflow with a 1 s timeout waiting for a signal that never comes
        String name = unique("timeout");
        register(definition(name, """
                timeout:
                  after:
                    seconds: 1
                do:
                  - forever:
                      listen:
                        to:
                          one:
                            with:
                              type: never
                """)).statusCode(201);

        // when it runs past its deadline, then it fails with TIMEOUT_ERROR and its step is cancelled
        Map<String, Object> job = ended(start(name, Map.of()), WITHIN);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((Map<String, Object>) job.get("error")).containsEntry("code", "TIMEOUT_ERROR");
        assertThat(steps(job)).extracting(step -> step.get("status")).containsExactly("cancelled");
    }

    @Test
    void shouldFailAStepWhoseParamsTheSkillsDeclaredSchemaRefuses() {
        // given a worker declaring that its skill needs an integer width, and a workflow passing a string
        String skill = uniqueSkill("resize");
        String workerId = Fixtures.uniqueWorker("contract");
        Transport worker = Fixtures.transport(root, workerId);
        SkillInfo declared = new SkillInfo(skill, null, null, null, Map.of("type", "object", "required",
                List.of("width"), "properties", Map.of("width", Map.of("type", "integer"))), null, null, null, null, null);
        worker.register(new WorkerRegistration(workerId, null, List.of(declared), null, null,
                new Resources(null, Map.of("cpu_cores", 4)), null, null,
                new WorkerCapabilities("test-host", null, null, null, null), null, null, null, null));
        String name = unique("contract");
        register(definition(name, """
                do:
                  - resize:
                      call: rxon
                      with:
                        skill: %s
                        params:
                          width: wide
                """.formatted(skill))).statusCode(201);

        // when it runs, then the step fails at once with the violation and no task is queued for it
        Map<String, Object> job = ended(start(name, Map.of()), WITHIN);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((Map<String, Object>) job.get("error")).containsEntry("code", "INVALID_INPUT_ERROR");
        assertThat(steps(job)).singleElement().satisfies(step -> {
            assertThat(step.get("status")).isEqualTo("failed");
            assertThat(step).doesNotContainKey("child_job_id");
        });
        worker.close();
    }

    @Test
    void shouldFailARunawayLoopAtTheTransitionLimit() {
        // given a task that loops to itself forever
        String name = unique("loop");
        register(definition(name, """
                do:
                  - spin:
                      set:
                        n: '${ .n + 1 }'
                      then: spin
                """)).statusCode(201);

        // when it runs, then it fails with the limit named
        Map<String, Object> job = ended(start(name, Map.of("n", 0)), WITHIN);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((Map<String, Object>) job.get("error")).containsEntry("code", "LIMIT_EXCEEDED_ERROR");
    }

    @Test
    void shouldRefuseAJobOfAnUnknownWorkflowOrWithInputItsSchemaRefuses() {
        // given a workflow with an input schema
        String name = unique("typed");
        register(definition(name, """
                input:
                  schema:
                    format: json
                    document:
                      type: object
                      required: [n]
                do:
                  - done:
                      set:
                        ok: true
                """)).statusCode(201);

        // then an unknown workflow is 404, bad input 400, and good input runs
        asClient().contentType("application/json").body("{\"workflow\": \"" + unique("nope") + "\"}").when()
                .post("/api/v1/jobs").then().statusCode(404).body("code", equalTo("DEPENDENCY_MISSING_ERROR"));
        asClient().contentType("application/json").body("{\"workflow\": \"" + name + "\", \"input\": {}}").when()
                .post("/api/v1/jobs").then().statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR"));
        asClient().contentType("application/json").body("{\"workflow\": \"" + name + "\", \"extra\": 1}").when()
                .post("/api/v1/jobs").then().statusCode(400);
        assertThat(ended(start(name, Map.of("n", 1)), WITHIN).get("status")).isEqualTo("finished");
    }
}
