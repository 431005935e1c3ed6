package io.rxon.orchestrator.job;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.OTHER_CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client API: submission rules, ownership, listing, cancellation and the live event stream. */
@QuarkusTest
class JobApiTest {

    @TestHTTPResource("/")
    URL root;

    private static RequestSpecification asClient(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static int jobCount(String token) {
        return asClient(token).queryParam("limit", 500).when().get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("jobs").size();
    }

    @Test
    void shouldAcceptAJobAndShowItWaitingForAWorker() {
        String jobId = asClient(CLIENT_TOKEN).body("{\"type\":\"" + uniqueSkill("queued") + "\",\"priority\":5,"
                        + "\"params\":{\"a\":[1,2]},\"timeout_seconds\":60}")
                .when().post("/api/v1/jobs")
                .then().statusCode(202).contentType("application/json").extract().path("job_id");

        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId)
                .then().statusCode(200)
                .body("status", equalTo("waiting_for_worker"))
                .body("priority", equalTo(5.0f))
                .body("attempts", equalTo(0))
                .body("max_attempts", equalTo(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":",
        "[]",
        "{}",
        "{\"type\":\"has space\"}",
        "{\"type\":\"ok\",\"priority\":\"high\"}",
        "{\"type\":\"ok\",\"max_attempts\":0}",
        "{\"type\":\"ok\",\"timeout_seconds\":-1}",
        "{\"type\":\"ok\",\"params\":[1]}",
        "{\"type\":\"ok\",\"webhook_url\":\"ftp://x\"}",
        "{\"type\":\"ok\",\"requirements\":{\"resources\":5}}",
        "{\"type\":\"ok\",\"max_attempts\":1000}",
    })
    void shouldRefuseInvalidJobsWithAProblemAndStoreNothing(String body) {
        int before = jobCount(CLIENT_TOKEN);

        asClient(CLIENT_TOKEN).body(body).when().post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("code", equalTo("INVALID_INPUT_ERROR"))
                .body("detail", not(containsString("Exception")));

        assertThat(jobCount(CLIENT_TOKEN)).isEqualTo(before);
    }

    @Test
    void shouldAnswer401WithoutOrWithAWrongClientToken() {
        given().contentType("application/json").body("{\"type\":\"x\"}").when().post("/api/v1/jobs")
                .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("SECURITY_ERROR"));
        asClient("wrong").when().get("/api/v1/jobs").then().statusCode(401);
        given().header("X-Client-Token", CLIENT_TOKEN).when().get("/api/v1/jobs").then().statusCode(200);
        asClient("fourth-client-token").when().get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void shouldHideAJobFromOtherClients() {
        String jobId = submit(uniqueSkill("private"), Map.of());

        asClient(OTHER_CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId)
                .then().statusCode(404).contentType("application/problem+json");
        asClient(OTHER_CLIENT_TOKEN).when().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(404);
        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId).then().statusCode(200);
    }

    @Test
    void shouldPageThroughJobsNewestFirst() {
        // given three jobs of the other client
        List<String> submitted = new ArrayList<>();
        String type = uniqueSkill("paged");
        for (int i = 0; i < 3; i++) {
            submitted.add(asClient(OTHER_CLIENT_TOKEN).body("{\"type\":\"" + type + "\"}").when().post("/api/v1/jobs")
                    .then().statusCode(202).extract().path("job_id"));
        }

        // when listing two at a time
        Map<String, Object> first = asClient(OTHER_CLIENT_TOKEN).queryParam("limit", 2)
                .queryParam("status", "waiting_for_worker").when().get("/api/v1/jobs")
                .then().statusCode(200).extract().as(Map.class);
        Map<String, Object> second = asClient(OTHER_CLIENT_TOKEN).queryParam("limit", 2)
                .queryParam("status", "waiting_for_worker").queryParam("cursor", first.get("next_cursor"))
                .when().get("/api/v1/jobs").then().statusCode(200).extract().as(Map.class);

        // then the pages hold every job once, newest first
        List<String> seen = Stream.concat(ids(first).stream(), ids(second).stream()).toList();
        assertThat(seen).containsSubsequence(submitted.get(2), submitted.get(1), submitted.get(0));
        assertThat(seen).doesNotHaveDuplicates();
        asClient(OTHER_CLIENT_TOKEN).queryParam("status", "bogus").when().get("/api/v1/jobs").then().statusCode(400);
        asClient(OTHER_CLIENT_TOKEN).queryParam("cursor", "%%%").when().get("/api/v1/jobs").then().statusCode(400);
        asClient(OTHER_CLIENT_TOKEN).queryParam("limit", 0).when().get("/api/v1/jobs").then().statusCode(400);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("jobs")).stream().map(job -> (String) job.get("job_id")).toList();
    }

    @Test
    void shouldFailAJobWhoseDeadlinePassesBeforeAnyWorkerTakesIt() {
        String jobId = submit(uniqueSkill("nobody"), Map.of("timeout_seconds", 1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asClient(CLIENT_TOKEN)
                .when().get("/api/v1/jobs/" + jobId)
                .then().body("status", equalTo("failed")).body("error.code", equalTo("TIMEOUT_ERROR")));
    }

    @Test
    void shouldCancelOnceAndRefuseASecondCancel() {
        String jobId = submit(uniqueSkill("cancelme"), Map.of());

        asClient(CLIENT_TOKEN).when().post("/api/v1/jobs/" + jobId + "/cancel")
                .then().statusCode(200).body("status", equalTo("cancellation_request_accepted"));
        asClient(CLIENT_TOKEN).when().post("/api/v1/jobs/" + jobId + "/cancel")
                .then().statusCode(409).body("detail", startsWith("job " + jobId + " is already cancelled"));
        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId).then().body("status", equalTo("cancelled"));
    }

    @Test
    void shouldStreamLifecycleAndProgressEventsLiveUntilTheJobEnds() throws Exception {
        // given a job and a client following its events
        String skill = uniqueSkill("watched");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("/api/v1/jobs/" + jobId + "/events"))
                .header("Authorization", "Bearer " + CLIENT_TOKEN).header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Void>> stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
                    response.body().filter(line -> line.startsWith("data:")).forEach(lines::add);
                    return null;
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 1);

        // when the worker takes it, reports progress and finishes
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        long now = Instant.now().getEpochSecond();
        worker.emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.25, "a quarter",
                now));
        worker.sendResult(TaskResult.success(task, workerId, Map.of("done", true), now));

        // then the stream carries every step in order and ends by itself
        stream.get(10, TimeUnit.SECONDS);
        List<String> types = lines.stream().map(line -> Json.tree(line.substring(5).trim().getBytes()))
                .map(event -> event.get("type").asText()).toList();
        assertThat(types).containsExactly("job_created", "task_dispatched", "progress", "job_finished");
        assertThat(lines.get(2)).contains("\"progress\":0.25").contains("a quarter");
    }

    @Test
    void shouldShowWhereAWorkerEventCameFromAndWhichOrchestratorsItBubbledThrough() throws Exception {
        // given a job taken by a worker that is itself an orchestrator (it relays its own fleet's events)
        String skill = uniqueSkill("relayed");
        String relayId = uniqueWorker("region");
        Transport relay = registeredWorker(root, relayId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = relay.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when it relays a leaf's event that came through a lower orchestrator, sends one of its own, and finishes
        long now = Instant.now().getEpochSecond();
        String relayedId = UUID.randomUUID().toString();
        assertThat(relay.emitEvent(new WorkerEventPayload(relayedId, relayId, "leaf-7", "progress",
                Map.of("progress", 0.5), "leaf-task", List.of("sub-region"), jobId, task.taskId(), null, 0.0, now,
                null, null))).isTrue();
        String ownId = UUID.randomUUID().toString();
        relay.emitEvent(WorkerEventPayload.progress(ownId, relayId, task, 0.75, null, now));
        relay.sendResult(TaskResult.success(task, relayId, Map.of(), now));

        // then the job's event stream names the leaf as the origin and the chain extended by the relay
        HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("/api/v1/jobs/" + jobId + "/events"))
                .header("Authorization", "Bearer " + CLIENT_TOKEN).header("Accept", "text/event-stream").build();
        List<JsonNode> events = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines()).body().filter(line -> line.startsWith("data:"))
                .map(line -> Json.tree(line.substring(5).trim().getBytes())).toList();
        JsonNode relayed = events.stream()
                .filter(event -> event.path("event_id").asText().equals(relayedId)).findFirst().orElseThrow();
        assertThat(relayed.path("worker_id").asText()).isEqualTo(relayId);
        assertThat(relayed.path("origin_worker_id").asText()).isEqualTo("leaf-7");
        assertThat(relayed.path("bubbling_chain").toString()).isEqualTo("[\"sub-region\",\"" + relayId + "\"]");
        JsonNode own = events.stream()
                .filter(event -> event.path("event_id").asText().equals(ownId)).findFirst().orElseThrow();
        assertThat(own.path("origin_worker_id").asText()).isEqualTo(relayId);
        assertThat(own.has("bubbling_chain")).as("an event straight from its origin bubbled through nothing").isFalse();
        assertThat(events.get(0).has("origin_worker_id")).as("lifecycle events have no origin").isFalse();
    }

    @Test
    void shouldExposeQueueDepthPerTaskTypeAndHealth() {
        String type = uniqueSkill("gauge");
        submit(type, Map.of());
        submit(type, Map.of());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(given().when().get("/q/metrics")
                .then().statusCode(200).extract().asString())
                .contains("rxon_tasks_queued{type=\"" + type + "\"} 2.0"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
