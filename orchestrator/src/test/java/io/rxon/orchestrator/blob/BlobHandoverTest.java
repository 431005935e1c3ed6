package io.rxon.orchestrator.blob;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parent side of blobs in a holarchy (docs/HOLARCHY.md): an orchestrator worker whose
 * {@code s3_config_hash} differs from ours gets a presigned GET URL for each blob of its task's
 * params, and presigned PUT URLs into its task's directory for its result's blobs; one sharing our
 * store, and any plain worker, gets the references alone.
 */
@QuarkusTest
class BlobHandoverTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OTHER_STORE = "0123456789abcdef";

    @TestHTTPResource("/")
    URL root;

    @Test
    void shouldGiveAnOrchestratorWorkerWithAnotherStoreAPresignedUrlForEachBlobOfItsTask() throws Exception {
        // given a client's blob, a job referring to it, and an orchestrator worker with another store
        byte[] content = randomBytes(70 * 1024);
        String uri = uploaded("in.bin", content);
        String skill = uniqueSkill("handover");
        submit(skill, Map.of("params", Map.of("input", uri, "again", List.of(uri))));
        Transport region = worker(uniqueWorker("region"), skill, OTHER_STORE, true);

        // when it takes the task
        TaskPayload task = region.pollTask(Duration.ofSeconds(5), List.of(skill), null).orElseThrow();

        // then the task keeps the reference and carries one URL for it, which gives the blob's bytes
        assertThat(task.params()).containsEntry("input", uri);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> urls = (Map<String, Map<String, Object>>) task.extra()
                .get(Protocol.TASK_BLOB_URLS);
        assertThat(urls).containsOnlyKeys(uri);
        assertThat(((Number) urls.get(uri).get("expires_at")).longValue())
                .isGreaterThan(System.currentTimeMillis() / 1000);
        HttpResponse<byte[]> fetched = HTTP.send(HttpRequest.newBuilder(URI.create((String) urls.get(uri).get("url")))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(content);
    }

    @Test
    void shouldGiveNoUrlsToAnOrchestratorSharingTheStoreNorToAPlainWorker() throws Exception {
        // given two jobs referring to a blob, an orchestrator worker with our store and a plain one with another
        String uri = uploaded("shared.bin", randomBytes(512));
        String skill = uniqueSkill("handover_shared");
        submit(skill, Map.of("params", Map.of("input", uri)));
        submit(skill, Map.of("params", Map.of("input", uri)));
        String ours = S3TestServer.shared().settings().configHash().orElseThrow();
        Transport sharing = worker(uniqueWorker("region"), skill, ours, true);
        Transport plain = worker(uniqueWorker("plain"), skill, OTHER_STORE, false);

        // when each takes one
        TaskPayload first = sharing.pollTask(Duration.ofSeconds(5), List.of(skill), null).orElseThrow();
        TaskPayload second = plain.pollTask(Duration.ofSeconds(5), List.of(skill), null).orElseThrow();

        // then both get the reference untouched and no URLs
        assertThat(first.params()).containsEntry("input", uri);
        assertThat(first.extra()).doesNotContainKey(Protocol.TASK_BLOB_URLS);
        assertThat(second.params()).containsEntry("input", uri);
        assertThat(second.extra()).doesNotContainKey(Protocol.TASK_BLOB_URLS);
    }

    @Test
    void shouldGiveAnOrchestratorWorkerWithAnotherStoreUploadUrlsIntoTheDirectoryOfTheTaskItHolds() throws Exception {
        // given an orchestrator worker with another store holding a task
        String skill = uniqueSkill("handup");
        String jobId = submit(skill, Map.of("params", Map.of()));
        String regionId = uniqueWorker("region");
        Transport region = worker(regionId, skill, OTHER_STORE, true);
        TaskPayload task = region.pollTask(Duration.ofSeconds(5), List.of(skill), null).orElseThrow();
        byte[] content = randomBytes(90 * 1024);

        // when it asks for an upload URL for a result blob and uploads through it
        Map<String, Object> answer = region.postExtension(Protocol.PATH_BLOB_UPLOAD_URLS, Map.of("job_id", jobId,
                "task_id", task.taskId(), "blobs", List.of(Map.of("name", "out put.bin", "size", content.length))));
        @SuppressWarnings("unchecked")
        Map<String, Object> url = ((List<Map<String, Object>>) answer.get("urls")).get(0);
        @SuppressWarnings("unchecked")
        int status = Fixtures.putPresigned((String) url.get("url"), (Map<String, String>) url.get("headers"), content);

        // then the blob is in our store, in the task's directory, byte for byte
        assertThat(answer).containsEntry("shared", false);
        assertThat(status).isEqualTo(200);
        String uri = (String) url.get("uri");
        assertThat(uri).isEqualTo("s3://" + S3TestServer.BUCKET + "/jobs/" + jobId + "/" + task.taskId()
                + "/out_put.bin");
        try (S3BlobStore store = new S3BlobStore(S3TestServer.shared().settings(), Runnable::run);
                InputStream read = store.open(BlobUri.parse(uri)).toCompletableFuture().join()) {
            assertThat(read.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void shouldRefuseUploadUrlsForATaskTheWorkerDoesNotHoldAndForABadBodyAndSaySharedForOurStore() {
        // given a task held by an orchestrator worker sharing our store, and another worker
        String skill = uniqueSkill("handup_refused");
        String jobId = submit(skill, Map.of("params", Map.of()));
        String ours = S3TestServer.shared().settings().configHash().orElseThrow();
        Transport holder = worker(uniqueWorker("region"), skill, ours, true);
        TaskPayload task = holder.pollTask(Duration.ofSeconds(5), List.of(skill), null).orElseThrow();
        String strangerId = uniqueWorker("stranger");
        worker(strangerId, skill, OTHER_STORE, true);
        Map<String, Object> wanted = Map.of("job_id", jobId, "task_id", task.taskId(),
                "blobs", List.of(Map.of("name", "out.bin", "size", 10)));

        // when / then: the holder shares our store, so it needs no URLs
        assertThat(holder.postExtension(Protocol.PATH_BLOB_UPLOAD_URLS, wanted))
                .containsEntry("shared", true).containsEntry("urls", List.of());
        // a worker that does not hold the task gets a 404, a bad body a 400, both as worker API errors
        asWorker(strangerId).body(Json.writeString(wanted)).post(Protocol.PATH_BLOB_UPLOAD_URLS)
                .then().statusCode(404).body("code", notNullValue()).body("error", notNullValue());
        asWorker(strangerId).body("{\"job_id\": 1, \"blobs\": \"many\"}").post(Protocol.PATH_BLOB_UPLOAD_URLS)
                .then().statusCode(400).body("code", notNullValue());
        asWorker(strangerId).body("not json").post(Protocol.PATH_BLOB_UPLOAD_URLS).then().statusCode(400);
    }

    private static RequestSpecification asWorker(String workerId) {
        return given().header(Protocol.HEADER_WORKER_TOKEN, Fixtures.WORKER_TOKEN)
                .header(Protocol.HEADER_WORKER_ID, workerId).contentType("application/json");
    }

    private Transport worker(String workerId, String skill, String s3ConfigHash, boolean orchestrator) {
        Transport transport = Fixtures.transport(root, workerId);
        transport.register(new WorkerRegistration(workerId, orchestrator ? "orchestrator" : null,
                List.of(SkillInfo.named(skill)), null, null, new Resources(null, Map.of("cpu_cores", 4)), null, null,
                new WorkerCapabilities("test-host", null, null, s3ConfigHash,
                        orchestrator ? Map.of(Protocol.EXTRA_ORCHESTRATOR, true) : null),
                null, null, null, null));
        return transport;
    }

    /** Uploads through the client API's presigned URL, as a client would. */
    private static String uploaded(String filename, byte[] content) throws Exception {
        Map<String, Object> ticket = given().header("Authorization", "Bearer " + CLIENT_TOKEN)
                .contentType("application/json").body(Json.writeString(Map.of("filename", filename,
                        "size", content.length, "content_type", "application/octet-stream")))
                .when().post("/api/v1/blobs").then().statusCode(201).extract().as(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) ticket.get("headers");
        assertThat(Fixtures.putPresigned((String) ticket.get("upload_url"), headers, content)).isEqualTo(200);
        return (String) ticket.get("uri");
    }

    private static byte[] randomBytes(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }
}
