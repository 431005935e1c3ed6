package io.rxon.orchestrator.workflow;

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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Signals to workflow jobs: taken by a listen step that waits, kept for one that will, refused
 * when no step ever will; {@code listen.to.any} and {@code listen.to.all}.
 */
@QuarkusTest
class WorkflowSignalTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static ValidatableResponse signal(String jobId, String name, String body) {
        return asClient().contentType("application/json").body(body).when()
                .post("/api/v1/jobs/" + jobId + "/signals/" + name).then();
    }

    private static String listen(String type) {
        return """
                      listen:
                        to:
                          one:
                            with:
                              type: %s
                """.formatted(type);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldKeepSignalsSentBeforeTheirListenStepsWaitAndHandThemOutOldestFirst() {
        // given a workflow that waits two seconds, then listens for 'go' twice
        String name = unique("early");
        register(definition(name, "do:\n  - pause:\n      wait: PT2S\n  - first:\n" + listen("go") + "  - second:\n"
                + listen("go"))).statusCode(201);
        String jobId = start(name, Map.of());

        // when both signals come while it still waits
        signal(jobId, "go", "{\"n\": 1}").statusCode(202).body("status", equalTo("buffered"));
        signal(jobId, "go", "{\"n\": 2}").statusCode(202).body("status", equalTo("buffered"));

        // then each listen step took one as it started, the older first, and the workflow ran to its end
        Map<String, Object> job = ended(jobId, WITHIN);
        assertThat(job.get("status")).isEqualTo("finished");
        assertThat((Map<String, Object>) job.get("result")).containsEntry("n", 2);
        List<Map<String, Object>> steps = steps(job);
        assertThat(steps).extracting(step -> step.get("step")).containsExactly("/pause", "/first", "/second");
        assertThat(steps).allSatisfy(step -> assertThat(step.get("status")).isEqualTo("succeeded"));
    }

    @Test
    void shouldRefuseSignalsNoStepWillTakeWithAClearConflict() {
        // given a workflow that listens for 'approval' only
        String name = unique("refuse");
        register(definition(name, "do:\n  - approval:\n" + listen("approval"))).statusCode(201);
        String jobId = start(name, Map.of());

        // when a signal it never listens for comes, then 409 names it
        signal(jobId, "other", "{}").statusCode(409).body("detail", containsString("'other'"));
        // when a malformed payload or name comes, then 400; for an unknown job, 404
        signal(jobId, "approval", "[1, 2").statusCode(400);
        signal(jobId, "approval", "[1, 2]").statusCode(400);
        signal(jobId, "not%20valid", "{}").statusCode(400);
        signal(UUID.randomUUID().toString(), "approval", "{}").statusCode(404);

        // when the job is cancelled, then a signal for it is 409 too
        asClient().when().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200);
        await().atMost(WITHIN).until(() -> "cancelled".equals(job(jobId).get("status")));
        signal(jobId, "approval", "{}").statusCode(409).body("detail", containsString("cancelled"));
    }

    @Test
    void shouldRefuseMoreThanTheBufferLimitOfSignalsNoStepHasTaken() {
        // given a workflow that listens for 'go' only after a long wait
        String name = unique("flood");
        register(definition(name, "do:\n  - pause:\n      wait: PT1H\n  - go:\n" + listen("go"))).statusCode(201);
        String jobId = start(name, Map.of());

        // when a client sends the limit of early signals, then each is kept; the next one is refused
        for (int i = 0; i < SignalBuffer.LIMIT; i++) {
            signal(jobId, "go", "{}").statusCode(202).body("status", equalTo("buffered"));
        }
        signal(jobId, "go", "{}").statusCode(409).body("detail", containsString("no more are kept"));
        asClient().when().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldResumeAnyOnTheFirstOfItsSignalsAndAllOnlyWhenEachCame() {
        // given a workflow that listens for any of yes/no, then for all of legal and finance
        String name = unique("anyall");
        register(definition(name, """
                do:
                  - decision:
                      listen:
                        to:
                          any:
                            - with:
                                type: 'yes'
                            - with:
                                type: 'no'
                      export:
                        as: '${ {decision: .} }'
                  - signoffs:
                      listen:
                        to:
                          all:
                            - with:
                                type: legal
                            - with:
                                type: finance
                      output:
                        as: '${ {decision: $context.decision, signoffs: .} }'
                """)).statusCode(201);
        String jobId = start(name, Map.of());
        await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 1);

        // when 'no' comes, then the any step took it and both all steps wait
        signal(jobId, "no", "{\"why\": \"budget\"}").statusCode(202).body("step", equalTo("/decision"));
        await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 3);
        assertThat(steps(job(jobId)).get(0)).containsEntry("signal", "no");
        // when finance signs, the job still waits for legal; the 'yes' that comes now is kept, not taken
        signal(jobId, "finance", "{\"by\": \"f\"}").statusCode(202).body("step", equalTo("/signoffs/finance"));
        assertThat(job(jobId).get("status")).isEqualTo("running");
        signal(jobId, "yes", "{}").statusCode(202).body("status", equalTo("buffered"));
        signal(jobId, "legal", "{\"by\": \"l\"}").statusCode(202).body("step", equalTo("/signoffs/legal"));

        // then the output has the decision and both sign-offs in the order the definition lists them
        Map<String, Object> job = ended(jobId, WITHIN);
        assertThat(job.get("status")).isEqualTo("finished");
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        assertThat(result.get("decision")).isEqualTo(Map.of("why", "budget"));
        assertThat(result.get("signoffs")).isEqualTo(List.of(Map.of("by", "l"), Map.of("by", "f")));
    }

    @Test
    void shouldRefuseListenDefinitionsThatNameNoSignal() {
        // when a definition lists no event filter under any, or names one twice under all, then it is refused
        register(definition(unique("badany"), "do:\n  - x:\n      listen:\n        to:\n          any: []\n"))
                .statusCode(400).body("problems", hasItem(containsString("any")));
        register(definition(unique("badall"), """
                do:
                  - x:
                      listen:
                        to:
                          all:
                            - with:
                                type: a
                            - with:
                                type: a
                """)).statusCode(400).body("problems", hasItem(containsString("listed twice")));
    }
}
