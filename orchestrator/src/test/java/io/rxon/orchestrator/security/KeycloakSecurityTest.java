package io.rxon.orchestrator.security;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.Ed25519Keys;
import io.rxon.common.security.Ed25519Signer;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.Credentials;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import io.rxon.orchestrator.testing.Fixtures;
import io.rxon.orchestrator.testing.KeycloakTestResource;
import io.rxon.testsupport.KeycloakServer;
import java.net.URL;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keycloak identities against a real Keycloak: tokens and roles for clients and workers, a
 * worker bound to its client, Ed25519 signatures bound to the registered key, and sockets that
 * close when their token expires.
 */
@QuarkusTest
class KeycloakSecurityTest {

    static final String WORKER_SECRET = "change-me-worker-secret";

    @TestHTTPResource("/")
    URL root;

    private static KeycloakServer keycloak() {
        return KeycloakTestResource.keycloak();
    }

    private static String token(String client) {
        return keycloak().accessToken(client, "change-me-" + client.replaceFirst("^rxon-", "") + "-secret");
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** A worker with a Keycloak token and its own Ed25519 key, over the real transport. */
    private Transport keycloakWorker(String workerId, String client, KeyPair key, String skill) {
        String accessToken = token(client);
        Transport transport = Transports.create(Fixtures.baseUrl(root), workerId, TransportOptions.builder()
                .credentials(Credentials.ofToken(accessToken))
                .signing(new MessageSigning(new Ed25519Signer(key.getPrivate()), workerId))
                .build());
        transport.register(Fixtures.registration(workerId, List.of(skill), new Resources(null, Map.of("cpu_cores", 2)),
                Map.of(Protocol.EXTRA_ED25519_PUBLIC_KEY, Ed25519Keys.publicKeyPem(key.getPublic()))));
        return transport;
    }

    @Test
    void shouldRunAJobEndToEndWithKeycloakTokensAndEd25519Signatures() {
        // given a Keycloak worker (pod-style id under its client) and a Keycloak API client
        String skill = uniqueSkill("kc");
        String workerId = "rxon-worker-" + UUID.randomUUID().toString().substring(0, 8);
        Transport worker = keycloakWorker(workerId, "rxon-worker", Ed25519Keys.generate(), skill);
        String jobId = bearer(token("rxon-demo-client")).body("{\"type\":\"" + skill + "\"}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

        // when the worker takes the task and reports
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        boolean accepted = worker.sendResult(TaskResult.success(task, workerId, Map.of("via", "keycloak"), now()));

        // then the client sees the result; another client sees nothing
        assertThat(accepted).isTrue();
        bearer(token("rxon-demo-client")).when().get("/api/v1/jobs/" + jobId)
                .then().statusCode(200).body("status", equalTo("finished")).body("result.via", equalTo("keycloak"));
        bearer(token("rxon-other-client")).when().get("/api/v1/jobs/" + jobId).then().statusCode(404);
    }

    @Test
    void shouldAnswer401ForMissingGarbageAndExpiredTokens() throws Exception {
        String expiring = token("rxon-short-lived-worker");
        given().contentType("application/json").body("{\"type\":\"x\"}").when().post("/api/v1/jobs")
                .then().statusCode(401);
        bearer("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").when().get("/api/v1/jobs")
                .then().statusCode(401).body("code", equalTo("SECURITY_ERROR"));
        given().header("Authorization", "Bearer " + expiring).header(Protocol.HEADER_WORKER_ID,
                "rxon-short-lived-worker").when().patch("/_worker/workers/rxon-short-lived-worker")
                .then().statusCode(200);

        // the short-lived client's tokens live 8 s
        TimeUnit.SECONDS.sleep(10);

        given().header("Authorization", "Bearer " + expiring).header(Protocol.HEADER_WORKER_ID,
                "rxon-short-lived-worker").when().patch("/_worker/workers/rxon-short-lived-worker")
                .then().statusCode(401).body("error", startsWith("Invalid or expired"));
    }

    @Test
    void shouldAnswer403ForAValidTokenWithTheWrongRole() {
        bearer(token("rxon-norole")).when().get("/api/v1/jobs").then().statusCode(403);
        bearer(token("rxon-worker")).when().get("/api/v1/jobs").then().statusCode(403);
        bearer(token("rxon-demo-client")).header(Protocol.HEADER_WORKER_ID, "rxon-demo-client")
                .when().patch("/_worker/workers/rxon-demo-client").then().statusCode(403);
        bearer(token("rxon-demo-client")).when().get("/api/v1/workers").then().statusCode(403);
        bearer(token("rxon-admin")).when().get("/api/v1/workers").then().statusCode(200);
    }

    @Test
    void shouldForbidAWorkerClientToActAsAnotherWorker() {
        String edge = token("rxon-edge-worker");
        bearer(edge).header(Protocol.HEADER_WORKER_ID, "rxon-worker-1").when().patch("/_worker/workers/rxon-worker-1")
                .then().statusCode(403).body("error", startsWith("Client 'rxon-edge-worker' may not act as worker"));
        bearer(edge).header(Protocol.HEADER_WORKER_ID, "rxon-edge-worker-7")
                .when().patch("/_worker/workers/rxon-edge-worker-7").then().statusCode(200);
    }

    @Test
    void shouldRequireAKeycloakWorkerToRegisterAKey() {
        String workerId = "rxon-worker-keyless-" + UUID.randomUUID().toString().substring(0, 6);
        Transport keyless = Transports.create(Fixtures.baseUrl(root), workerId, TransportOptions.builder()
                .credentials(Credentials.ofToken(token("rxon-worker"))).build());

        assertThatThrownBy(() -> keyless.register(Fixtures.registration(workerId, List.of("x"), null, null)))
                .isInstanceOf(RxonAuthException.class).hasMessageContaining("Ed25519");
    }

    @Test
    void shouldRefuseForgedTamperedStaleAndReplayedSignedMessagesStoringNothing() {
        // given a Keycloak worker running a task, signing with its registered key
        String skill = uniqueSkill("kcsig");
        String workerId = "rxon-worker-" + UUID.randomUUID().toString().substring(0, 8);
        KeyPair key = Ed25519Keys.generate();
        Transport worker = keycloakWorker(workerId, "rxon-worker", key, skill);
        String jobId = bearer(token("rxon-demo-client")).body("{\"type\":\"" + skill + "\"}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        MessageSigning own = new MessageSigning(new Ed25519Signer(key.getPrivate()), workerId);
        MessageSigning stranger = new MessageSigning(new Ed25519Signer(Ed25519Keys.generate().getPrivate()), workerId);
        RequestSpecification asWorker = bearer(token("rxon-worker")).header(Protocol.HEADER_WORKER_ID, workerId);

        // when: a result signed with another key, a tampered one, a stale one
        TaskResult result = TaskResult.success(task, workerId, Map.of("n", 1), now());
        given().spec(asWorker).body(Json.writeString(stranger.sign(result))).when().post("/_worker/tasks/result")
                .then().statusCode(403);
        ObjectNode tampered = (ObjectNode) Json.tree(Json.write(own.sign(result)));
        ((ObjectNode) tampered.get("data")).put("n", 2);
        given().spec(asWorker).body(tampered.toString()).when().post("/_worker/tasks/result").then().statusCode(403);
        given().spec(asWorker).body(Json.writeString(own.sign(result.withTimestamp(now() - 300))))
                .when().post("/_worker/tasks/result").then().statusCode(403);

        // and an event replayed
        WorkerEventPayload event = own.sign(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task,
                0.5, "half", now()));
        given().spec(asWorker).body(Json.writeString(event)).when().post("/_worker/events")
                .then().statusCode(200).body("status", equalTo("event_accepted"));
        given().spec(asWorker).body(Json.writeString(event)).when().post("/_worker/events")
                .then().statusCode(200).body("status", equalTo("ignored")).body("reason", equalTo("duplicate"));

        // then the job still runs, untouched by the refused results
        bearer(token("rxon-demo-client")).when().get("/api/v1/jobs/" + jobId)
                .then().body("status", equalTo("running")).body("progress", equalTo(0.5f));
        assertThat(worker.sendResult(result)).isTrue();
    }

    @Test
    void shouldCloseASocketWhenItsTokenExpires() throws Exception {
        // given a worker whose tokens live 8 s, with its socket open
        String workerId = "rxon-short-lived-worker";
        Transport worker = keycloakWorker(workerId, "rxon-short-lived-worker", Ed25519Keys.generate(),
                uniqueSkill("brief"));
        BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        worker.openSocket(new SocketListener() {
            @Override
            public void onDisconnected(int statusCode, String reason) {
                closes.add(statusCode);
            }
        }, false);

        // then the orchestrator closes it when the token expires (the worker reconnects with a new one)
        assertThat(closes.poll(20, TimeUnit.SECONDS)).isEqualTo(1008);
    }
}
