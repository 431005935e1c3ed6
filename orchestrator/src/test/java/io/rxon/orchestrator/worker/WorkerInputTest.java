package io.rxon.orchestrator.worker;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.WORKER_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.Signatures;
import io.rxon.common.transport.Transport;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the worker API does with validly signed messages whose content is wrong: refused with a
 * 400 naming the field, never 500; and a result that cannot be stored still ends its task.
 */
@QuarkusTest
class WorkerInputTest {

    @TestHTTPResource("/")
    URL root;

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** Posts or patches {@code json} signed with the global worker token, as a real worker would. */
    private static ValidatableResponse signed(String method, String path, String workerId, String json,
            List<String> unsigned) {
        ObjectNode message = (ObjectNode) Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        message.put("timestamp", now());
        String signature = Signatures.sign(message, new HmacSigner(WORKER_TOKEN), unsigned);
        message.putObject("security").put("signature", signature);
        return given().header(Protocol.HEADER_WORKER_TOKEN, WORKER_TOKEN).header(Protocol.HEADER_WORKER_ID, workerId)
                .contentType("application/json").body(Json.writeString(message))
                .when().request(method, path).then();
    }

    @Test
    void shouldFailTheTaskWhenItsResultCannotBeStoredAndTellTheWorkerNotToRetry() {
        // given a worker running a job
        String skill = uniqueSkill("nul");
        String workerId = uniqueWorker("nul");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when its result contains a NUL character
        RxonProtocolException refused = catchThrowableOfType(RxonProtocolException.class, () -> worker.sendResult(
                TaskResult.success(task, workerId, Map.of("text", "a\u0000b"), now())));

        // then the worker is refused with a 400 naming the field, and the job has ended with the reason
        assertThat(refused.httpStatus()).contains(400);
        assertThat(refused.getMessage()).contains("data.text").contains("U+0000");
        Map<String, Object> job = job(jobId);
        assertThat(job.get("status")).isEqualTo("quarantined");
        assertThat(job.get("error").toString()).contains("CONTRACT_VIOLATION_ERROR").contains("data.text");

        // and sending it again changes nothing
        assertThat(catchThrowableOfType(RxonProtocolException.class, () -> worker.sendResult(
                TaskResult.success(task, workerId, Map.of("text", "a\u0000b"), now()))).httpStatus()).contains(400);
        assertThat(job(jobId).get("status")).isEqualTo("quarantined");
    }

    @Test
    void shouldRefuseAResultWhoseTaskIdCannotBeStored() {
        String workerId = uniqueWorker("badid");
        registeredWorker(root, workerId, uniqueSkill("x"));

        signed("POST", "/_worker/tasks/result", workerId, "{\"job_id\":\"j\",\"task_id\":\"t\\u0000\",\"worker_id\":\""
                + workerId + "\"}", List.of())
                .statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR")).body("error", containsString("task_id"));
    }

    static List<String> badStatuses() {
        return List.of("1", "true", "\"\"", "\"" + "x".repeat(1000) + "\"", "\"idle\\u0000\"");
    }

    @ParameterizedTest
    @MethodSource("badStatuses")
    void shouldRefuseAHeartbeatWithABadStatus(String status) {
        String workerId = uniqueWorker("hb");
        registeredWorker(root, workerId, uniqueSkill("x"));

        signed("PATCH", "/_worker/workers/" + workerId, workerId, "{\"worker_id\":\"" + workerId + "\",\"status\":"
                + status + "}", List.of())
                .statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR")).body("error", containsString("status"));
    }

    @Test
    void shouldRefuseARegistrationWithANonNumericVram() {
        String workerId = uniqueWorker("vram");

        signed("POST", "/_worker/workers/register", workerId, "{\"worker_id\":\"" + workerId + "\",\"resources\":"
                + "{\"devices\":[{\"type\":\"gpu\",\"properties\":{\"vram_gb\":\"lots\"}}]}}", List.of())
                .statusCode(400).body("error", containsString("vram_gb"));
    }

    @Test
    void shouldRefuseTheReservedIdInAnyCase() {
        signed("POST", "/_worker/workers/register", "GHOST", "{\"worker_id\":\"GHOST\"}", List.of())
                .statusCode(403).body("code", equalTo("SECURITY_ERROR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fapi", "a.b", "w%00"})
    void shouldRefuseAPollForAnIllFormedWorkerId(String workerId) {
        given().header(Protocol.HEADER_WORKER_TOKEN, WORKER_TOKEN).urlEncodingEnabled(false)
                .when().get("/_worker/workers/" + workerId + "/tasks/next?timeout=0")
                .then().statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR"));
    }

    @Test
    void shouldRefuseAnEventWhosePayloadCannotBeStored() {
        String workerId = uniqueWorker("ev");
        registeredWorker(root, workerId, uniqueSkill("x"));

        signed("POST", "/_worker/events", workerId, "{\"event_id\":\"" + UUID.randomUUID() + "\",\"worker_id\":\""
                + workerId + "\",\"origin_worker_id\":\"" + workerId + "\",\"event_type\":\"progress\","
                + "\"payload\":{\"m\":\"\\u0000\"},\"target_job_id\":\"j\"}", WorkerEventPayload.UNSIGNED_FIELDS)
                .statusCode(400).body("error", containsString("payload.m"));
    }

    @Test
    void shouldIgnoreAnEventForAJobThatHasEnded() {
        // given a job its worker has finished
        String skill = uniqueSkill("late");
        String workerId = uniqueWorker("late");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        worker.sendResult(TaskResult.success(task, workerId, Map.of(), now()));

        // when the worker reports progress for it afterwards, then the event is ignored
        signed("POST", "/_worker/events", workerId, "{\"event_id\":\"" + UUID.randomUUID() + "\",\"worker_id\":\""
                + workerId + "\",\"origin_worker_id\":\"" + workerId + "\",\"event_type\":\"progress\","
                + "\"payload\":{\"progress\":0.5},\"target_job_id\":\"" + jobId + "\"}",
                WorkerEventPayload.UNSIGNED_FIELDS)
                .statusCode(200).body("status", equalTo("ignored")).body("reason", equalTo("job_already_terminated"));
        assertThat(job(jobId).get("status")).isEqualTo("finished");
    }

    /** {@code json} signed with the global worker token, as a real worker would send it. */
    private static String signedBody(String json, List<String> unsigned) {
        ObjectNode message = (ObjectNode) Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        message.put("timestamp", now());
        message.putObject("security").put("signature", Signatures.sign(message, new HmacSigner(WORKER_TOKEN), unsigned));
        return Json.writeString(message);
    }

    /** Sends the same request {@code times} times at once and returns the statuses and bodies. */
    private List<java.net.http.HttpResponse<String>> atOnce(int times, String path, String workerId, String body) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        root.toString().replaceAll("/$", "") + path))
                .header(Protocol.HEADER_WORKER_TOKEN, WORKER_TOKEN).header(Protocol.HEADER_WORKER_ID, workerId)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < times; i++) {
            sent.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    @Test
    void shouldRegisterANewWorkerSentFourTimesAtOnceWithoutAnError() {
        String workerId = uniqueWorker("race");
        String body = signedBody("{\"worker_id\":\"" + workerId + "\",\"supported_skills\":[{\"name\":\"x\"}]}",
                List.of());

        List<java.net.http.HttpResponse<String>> answers = atOnce(4, "/_worker/workers/register", workerId, body);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
    }

    @Test
    void shouldAcceptOneOfTwoIdenticalEventsSentAtOnceAndCallTheOtherADuplicate() {
        // given a worker running a job
        String skill = uniqueSkill("twin");
        String workerId = uniqueWorker("twin");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        String body = signedBody("{\"event_id\":\"" + UUID.randomUUID() + "\",\"worker_id\":\"" + workerId
                + "\",\"origin_worker_id\":\"" + workerId + "\",\"event_type\":\"progress\","
                + "\"payload\":{\"progress\":0.5},\"target_job_id\":\"" + jobId + "\"}",
                WorkerEventPayload.UNSIGNED_FIELDS);

        // when the same event arrives twice at once
        List<java.net.http.HttpResponse<String>> answers = atOnce(2, "/_worker/events", workerId, body);

        // then one is accepted and the other is a duplicate, both 200
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        assertThat(answers).extracting(java.net.http.HttpResponse::body)
                .anySatisfy(text -> assertThat(text).contains("event_accepted"));
    }

    @Test
    void shouldRefuseANullSkillInARegistration() {
        String workerId = uniqueWorker("nullskill");

        signed("POST", "/_worker/workers/register", workerId, "{\"worker_id\":\"" + workerId
                + "\",\"supported_skills\":[null]}", List.of())
                .statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR"));
    }
}
