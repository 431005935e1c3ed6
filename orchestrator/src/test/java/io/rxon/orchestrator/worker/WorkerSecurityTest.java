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
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.security.Signatures;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The zero-trust gate and authentication of the worker protocol: every refused message gets the
 * right status and error code, and nothing is stored.
 */
@QuarkusTest
class WorkerSecurityTest {

    @TestHTTPResource("/")
    URL root;

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static RequestSpecification asWorker(String workerId, String token) {
        return given().header(Protocol.HEADER_WORKER_TOKEN, token).header(Protocol.HEADER_WORKER_ID, workerId)
                .contentType("application/json");
    }

    private static String signedHeartbeat(String workerId, long timestamp, String secret) {
        return Json.writeString(new MessageSigning(new HmacSigner(secret), workerId)
                .sign(Heartbeat.of(workerId, "idle", List.of(), timestamp)));
    }

    @Test
    void shouldAnswer401WithoutAToken() {
        given().contentType("application/json").body(signedHeartbeat("w1", now(), WORKER_TOKEN))
                .when().patch("/_worker/workers/w1")
                .then().statusCode(401).contentType("application/json")
                .body("code", equalTo("SECURITY_ERROR"))
                .header(Protocol.HEADER_VERSION, Protocol.VERSION);
    }

    @Test
    void shouldAnswer401ForAnUnknownToken() {
        asWorker("w1", "garbage").body(signedHeartbeat("w1", now(), "garbage"))
                .when().patch("/_worker/workers/w1")
                .then().statusCode(401).body("error", equalTo("Invalid worker token"));
    }

    @Test
    void shouldAnswer403WhenAWorkerUsesItsTokenForAnotherId() {
        asWorker("somebody-else", "own-worker-token").body(signedHeartbeat("somebody-else", now(), "own-worker-token"))
                .when().patch("/_worker/workers/somebody-else")
                .then().statusCode(403).body("code", equalTo("SECURITY_ERROR"));
    }

    @Test
    void shouldRefuseTheGlobalTokenForAWorkerWithItsOwnToken() {
        asWorker("own-token-worker", WORKER_TOKEN).body(signedHeartbeat("own-token-worker", now(), WORKER_TOKEN))
                .when().patch("/_worker/workers/own-token-worker")
                .then().statusCode(403);
    }

    @Test
    void shouldAnswer403ForAForgedSignature() {
        String workerId = uniqueWorker("forged");
        asWorker(workerId, WORKER_TOKEN).body(signedHeartbeat(workerId, now(), "not-the-token"))
                .when().patch("/_worker/workers/" + workerId)
                .then().statusCode(403).body("error", equalTo("Invalid message signature"));
    }

    @Test
    void shouldAnswer403ForAStaleOrFutureTimestamp() {
        String workerId = uniqueWorker("stale");
        asWorker(workerId, WORKER_TOKEN).body(signedHeartbeat(workerId, now() - 120, WORKER_TOKEN))
                .when().patch("/_worker/workers/" + workerId)
                .then().statusCode(403).body("error", startsWith("Message timestamp expired"));
        asWorker(workerId, WORKER_TOKEN).body(signedHeartbeat(workerId, now() + 120, WORKER_TOKEN))
                .when().patch("/_worker/workers/" + workerId)
                .then().statusCode(403);
    }

    @Test
    void shouldAnswer403ForAnUnsignedMessageAndForAMissingTimestamp() {
        String workerId = uniqueWorker("unsigned");
        asWorker(workerId, WORKER_TOKEN).body(Json.writeString(Heartbeat.of(workerId, "idle", List.of(), now())))
                .when().patch("/_worker/workers/" + workerId)
                .then().statusCode(403).body("error", startsWith("Missing required signature"));
        asWorker(workerId, WORKER_TOKEN).body("{\"worker_id\":\"" + workerId + "\",\"status\":\"idle\"}")
                .when().patch("/_worker/workers/" + workerId)
                .then().statusCode(403).body("error", startsWith("Missing required timestamp"));
    }

    @Test
    void shouldRefuseATamperedResultAndKeepTheJobRunning() {
        // given a running task
        String skill = uniqueSkill("tamper");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        TaskResult signed = new MessageSigning(new HmacSigner(WORKER_TOKEN), workerId)
                .sign(TaskResult.success(task, workerId, Map.of("answer", 42), now()));

        // when a man in the middle changes the data
        ObjectNode tampered = (ObjectNode) Json.tree(Json.write(signed));
        ((ObjectNode) tampered.get("data")).put("answer", 43);

        // then it is refused and nothing changed
        asWorker(workerId, WORKER_TOKEN).body(tampered.toString()).when().post("/_worker/tasks/result")
                .then().statusCode(403);
        assertThat(job(jobId)).containsEntry("status", "running").doesNotContainKey("result");
    }

    @Test
    void shouldRefuseAResultSubmittedForAnotherWorker() {
        String skill = uniqueSkill("impostor");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        String impostor = uniqueWorker("impostor");
        String body = Json.writeString(new MessageSigning(new HmacSigner(WORKER_TOKEN), impostor)
                .sign(TaskResult.success(task, impostor, Map.of(), now())));

        asWorker(impostor, WORKER_TOKEN).body(body).when().post("/_worker/tasks/result")
                .then().statusCode(200).body("status", equalTo("ignored")).body("reason", equalTo("worker_mismatch"));
        assertThat(job(jobId)).containsEntry("status", "running");
    }

    @Test
    void shouldAnswer400ForMalformedJsonAndWrongFieldTypes() {
        String workerId = uniqueWorker("sloppy");
        asWorker(workerId, WORKER_TOKEN).body("{\"worker_id\":").when().post("/_worker/workers/register")
                .then().statusCode(400).contentType("application/json").body("code", equalTo("INVALID_INPUT_ERROR"));
        String wrongType = "{\"worker_id\":\"" + workerId + "\",\"timestamp\":" + now()
                + ",\"supported_skills\":\"echo\"}";
        String signature = new HmacSigner(WORKER_TOKEN).sign(Signatures.signedBytes(
                Json.tree(wrongType.getBytes()), List.of()));
        String signed = wrongType.substring(0, wrongType.length() - 1)
                + ",\"security\":{\"signature\":\"" + signature + "\"}}";
        asWorker(workerId, WORKER_TOKEN).body(signed).when().post("/_worker/workers/register")
                .then().statusCode(400).body("error", startsWith("Failed to decode WorkerRegistration"));
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenAWorkerRegistersTooOften() {
        // given a worker within its allowance (20 registrations a minute in tests)
        String workerId = uniqueWorker("storm");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("x"));
        for (int i = 1; i < 20; i++) {
            worker.register(Fixtures.registration(workerId, List.of("x"), null, null));
        }

        // when it registers once more
        RxonRateLimitException limited = catchThrowableOfType(RxonRateLimitException.class,
                () -> worker.register(Fixtures.registration(workerId, List.of("x"), null, null)));

        // then it is told to wait, and other workers are not affected
        assertThat(limited).isNotNull();
        assertThat(limited.wireCode()).isEqualTo("LIMIT_EXCEEDED_ERROR");
        assertThat(limited.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());
        registeredWorker(root, uniqueWorker("calm"), uniqueSkill("x"));
    }

    @Test
    void shouldRefuseTheReservedGhostIdentity() {
        asWorker("ghost", WORKER_TOKEN).body(signedHeartbeat("ghost", now(), WORKER_TOKEN))
                .when().patch("/_worker/workers/ghost")
                .then().statusCode(403);
    }

    @Test
    void shouldAnswer413ForAnOversizedBody() throws Exception {
        // given a body over the 4 MiB limit, announced with Expect: 100-continue as careful clients do
        String workerId = uniqueWorker("big");
        String huge = "{\"worker_id\":\"" + workerId + "\",\"metadata\":{\"blob\":\"" + "x".repeat(5 * 1024 * 1024)
                + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("/_worker/workers/register"))
                .expectContinue(true)
                .header(Protocol.HEADER_WORKER_TOKEN, WORKER_TOKEN).header(Protocol.HEADER_WORKER_ID, workerId)
                .POST(HttpRequest.BodyPublishers.ofString(huge)).build();

        // when
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        // then it is refused before anything is read
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void shouldAnswerTtlRefreshedForAnEmptyHeartbeatAndNullForAnUnknownWorker() {
        String workerId = uniqueWorker("known");
        registeredWorker(root, workerId, uniqueSkill("x"));

        asWorker(workerId, WORKER_TOKEN).when().patch("/_worker/workers/" + workerId)
                .then().statusCode(200).contentType("application/json").body("status", equalTo("ttl_refreshed"));
        String stranger = uniqueWorker("unknown");
        String body = asWorker(stranger, WORKER_TOKEN).when().patch("/_worker/workers/" + stranger)
                .then().statusCode(200).contentType("application/json").extract().asString();
        assertThat(body).isEqualTo("null");
    }

    @Test
    void shouldPutTheProtocolVersionOnEveryResponse() {
        given().when().get("/_public/status").then().statusCode(200).header(Protocol.HEADER_VERSION, Protocol.VERSION);
        given().when().get("/no/such/path").then().statusCode(404).header(Protocol.HEADER_VERSION, Protocol.VERSION);
    }
}
