package io.rxon.orchestrator.blob;

import io.rxon.orchestrator.job.BlobJanitor;
import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.OTHER_CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.ClaimCheck;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blob API against a real S3 server (s3proxy): presigned uploads and downloads, ownership and
 * size limits, integrity metadata for workers, the claim check, and clean-up after retention.
 */
@QuarkusTest
class BlobApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static S3BlobStore s3;

    @TestHTTPResource("/")
    URL root;

    @Inject
    BlobJanitor janitor;

    @BeforeAll
    static void connect() {
        s3 = new S3BlobStore(S3TestServer.shared().settings(), Runnable::run);
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    private static RequestSpecification asClient(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static ExtractableResponse<Response> requestUpload(String token, Map<String, Object> body) {
        return asClient(token).body(Json.writeString(body)).when().post("/api/v1/blobs").then().extract();
    }

    /** PUTs {@code content} to the ticket's presigned URL with the headers it names. */
    @SuppressWarnings("unchecked")
    private static int put(Map<String, Object> ticket, byte[] content) throws Exception {
        return Fixtures.putPresigned((String) ticket.get("upload_url"), (Map<String, String>) ticket.get("headers"),
                content);
    }

    private static String uploaded(String token, String filename, byte[] content) throws Exception {
        Map<String, Object> ticket = requestUpload(token, Map.of("filename", filename, "size", content.length,
                "content_type", "application/octet-stream")).as(Map.class);
        assertThat(put(ticket, content)).isEqualTo(200);
        return (String) ticket.get("uri");
    }

    private static boolean exists(String uri) {
        return s3.metadata(BlobUri.parse(uri)).toCompletableFuture().join().isPresent();
    }

    private static void finish(Transport worker, String workerId, TaskPayload task, Map<String, Object> data) {
        worker.sendResult(TaskResult.success(task, workerId, data, Instant.now().getEpochSecond()));
    }

    @Test
    void shouldLetAClientUploadThroughAPresignedUrlAndGiveTheWorkerTheBlobsMetadata() throws Exception {
        // given
        String skill = uniqueSkill("blob_in");
        String workerId = uniqueWorker("blob-worker");
        byte[] content = new byte[64 * 1024];
        new Random(7).nextBytes(content);

        // when: upload through the presigned URL, then a job that refers to it
        ExtractableResponse<Response> created = requestUpload(CLIENT_TOKEN, Map.of("filename", "../in put.bin",
                "size", content.length, "content_type", "application/octet-stream"));
        Map<String, Object> ticket = created.as(Map.class);
        int putStatus = put(ticket, content);
        String uri = (String) ticket.get("uri");
        String jobId = submit(skill, Map.of("params", Map.of("input", uri, "mode", "fast")));
        Transport worker = registeredWorker(root, workerId, skill);
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(uri).matches("s3://" + S3TestServer.BUCKET + "/jobs/upload-[0-9a-f-]+/in_put\\.bin");
        assertThat((String) ticket.get("upload_id")).startsWith("upload-");
        assertThat(((Number) ticket.get("expires_at")).longValue())
                .isBetween(Instant.now().plus(Duration.ofMinutes(14)).toEpochMilli(),
                        Instant.now().plus(Duration.ofMinutes(16)).toEpochMilli());
        assertThat(putStatus).isEqualTo(200);
        assertThat(task.jobId()).isEqualTo(jobId);
        assertThat(task.params()).containsEntry("input", uri);
        FileMetadata metadata = task.paramsMetadata().get("input");
        assertThat(metadata.uri()).isEqualTo(uri);
        assertThat(metadata.size()).isEqualTo(content.length);
        assertThat(metadata.etag()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));

        // and when the worker's result refers to an output, the client downloads it through a presigned GET
        String output = "s3://" + S3TestServer.BUCKET + "/jobs/" + jobId + "/" + task.taskId() + "/out.txt";
        FileMetadata written = s3.upload(new ByteArrayInputStream("done".getBytes()), 4, BlobUri.parse(output))
                .toCompletableFuture().join();
        worker.sendResult(new TaskResult(jobId, task.taskId(), workerId, null, null, Map.of("output", output), null,
                Map.of("output", written), null, null, Instant.now().getEpochSecond(), null));
        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("finished"))
                .body("result_metadata.output.size", equalTo(4))
                .body("result_metadata.output.metadata.sha256", equalTo(written.sha256()));
        String downloadUrl = asClient(CLIENT_TOKEN).queryParam("uri", output).when().get("/api/v1/blobs/url")
                .then().statusCode(200).extract().path("download_url");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(downloadUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("done");
        worker.close();
    }

    @Test
    void shouldRefuseUploadsOverTheSizeLimitWith413() {
        requestUpload(CLIENT_TOKEN, Map.of("filename", "huge.bin", "size", 301L * 1024 * 1024))
                .response().then().statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("LIMIT_EXCEEDED_ERROR"));
        requestUpload(CLIENT_TOKEN, Map.of("size", -1)).response().then().statusCode(400);
    }

    @Test
    void shouldKeepEveryClientToItsOwnBlobs() throws Exception {
        // given
        String mine = uploaded(CLIENT_TOKEN, "private.bin", new byte[] {1, 2, 3});
        String theirJob = submit(uniqueSkill("theirs"), Map.of());

        // when / then: another client can neither download it, nor refer to it, nor upload into my job
        asClient(OTHER_CLIENT_TOKEN).queryParam("uri", mine).when().get("/api/v1/blobs/url")
                .then().statusCode(404);
        asClient(OTHER_CLIENT_TOKEN).body(Json.writeString(Map.of("type", "x", "params", Map.of("in", mine))))
                .when().post("/api/v1/jobs").then().statusCode(403).body("code", equalTo("SECURITY_ERROR"));
        requestUpload(OTHER_CLIENT_TOKEN, Map.of("job_id", theirJob)).response().then().statusCode(404);
        // keys outside jobs/<id>/ are never presigned or accepted, whoever asks
        asClient(CLIENT_TOKEN).queryParam("uri", "s3://" + S3TestServer.BUCKET + "/secrets/key.pem")
                .when().get("/api/v1/blobs/url").then().statusCode(403);
        asClient(CLIENT_TOKEN).body(Json.writeString(Map.of("type", "x", "params",
                        Map.of("in", "s3://" + S3TestServer.BUCKET + "/secrets/key.pem"))))
                .when().post("/api/v1/jobs").then().statusCode(403);
        // an upload into my own job is fine
        requestUpload(CLIENT_TOKEN, Map.of("job_id", theirJob, "filename", "extra.bin")).response().then()
                .statusCode(201).body("uri", startsWith("s3://" + S3TestServer.BUCKET + "/jobs/" + theirJob + "/"))
                .body("job_id", equalTo(theirJob));
    }

    @Test
    void shouldRefuseAJobThatRefersToABlobThatWasNeverUploaded() {
        Map<String, Object> ticket = requestUpload(CLIENT_TOKEN, Map.of("filename", "later.bin")).as(Map.class);
        asClient(CLIENT_TOKEN).body(Json.writeString(Map.of("type", "x", "params", Map.of("in", ticket.get("uri")))))
                .when().post("/api/v1/jobs").then().statusCode(400).body("detail",
                        org.hamcrest.Matchers.containsString("does not exist"));
    }

    @Test
    void shouldOffloadParamsAboveTheThresholdAndKeepSmallOnesInline() throws Exception {
        // given
        String skill = uniqueSkill("claim");
        String workerId = uniqueWorker("claim-worker");
        Map<String, Object> large = Map.of("text", "x".repeat(300 * 1024), "n", 1);
        Map<String, Object> small = Map.of("text", "y".repeat(1024));

        // when
        String largeJob = submit(skill, Map.of("params", large));
        String smallJob = submit(skill, Map.of("params", small));
        Transport worker = registeredWorker(root, workerId, skill);
        TaskPayload first = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        finish(worker, workerId, first, Map.of());
        TaskPayload second = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        finish(worker, workerId, second, Map.of());

        // then: the large params travel as a claim check with their metadata, the small ones inline
        assertThat(first.jobId()).isEqualTo(largeJob);
        String reference = "s3://" + S3TestServer.BUCKET + "/jobs/" + largeJob + "/params.json";
        assertThat(first.params()).isEqualTo(Map.of(ClaimCheck.KEY, reference));
        FileMetadata claim = first.paramsMetadata().get(ClaimCheck.KEY);
        byte[] stored;
        try (InputStream in = s3.open(BlobUri.parse(reference)).toCompletableFuture().join()) {
            stored = in.readAllBytes();
        }
        assertThat(claim.size()).isEqualTo(stored.length).isGreaterThan(300 * 1024);
        assertThat(claim.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(stored)));
        assertThat(claim.metadata()).containsEntry("content_type", "application/json");
        assertThat(Json.read(stored, Map.class)).isEqualTo(large);
        assertThat(second.jobId()).isEqualTo(smallJob);
        assertThat(second.params()).isEqualTo(small);
        assertThat(second.paramsMetadata()).isNullOrEmpty();
        worker.close();
    }

    @Test
    void shouldDeleteAJobsBlobsAfterRetentionButNotWhileAnotherJobRefersToThem() throws Exception {
        // given: job A with an input uploaded into its own directory, finished
        String skill = uniqueSkill("retention");
        String workerId = uniqueWorker("retention-worker");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobA = submit(skill, Map.of());
        Map<String, Object> ticket = requestUpload(CLIENT_TOKEN, Map.of("job_id", jobA, "filename", "a.bin"))
                .as(Map.class);
        put(ticket, new byte[] {42});
        String blobOfA = (String) ticket.get("uri");
        finish(worker, workerId, worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow(), Map.of());
        // job B refers to A's blob and is still waiting; an upload nobody refers to
        String jobB = submit(uniqueSkill("retention_b"), Map.of("params", Map.of("in", blobOfA)));
        String orphan = uploaded(CLIENT_TOKEN, "orphan.bin", new byte[] {7});
        Thread.sleep(2100);

        // when
        janitor.sweep().await().atMost(Duration.ofSeconds(30));

        // then: A's blob is kept for B, the orphaned upload is gone
        assertThat(exists(blobOfA)).isTrue();
        assertThat(exists(orphan)).isFalse();

        // and when B ends and its retention passes too
        asClient(CLIENT_TOKEN).when().post("/api/v1/jobs/" + jobB + "/cancel").then().statusCode(200);
        Thread.sleep(2100);
        janitor.sweep().await().atMost(Duration.ofSeconds(30));

        // then
        assertThat(exists(blobOfA)).isFalse();
        worker.close();
    }

    @Test
    void shouldRetryAJobWhoseWorkerCouldNotReachTheBlobStore() {
        // given
        String skill = uniqueSkill("s3_down");
        String workerId = uniqueWorker("s3-down-worker");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload first = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when: the worker reports the outage as it does (TRANSIENT_ERROR naming the blob store)
        worker.sendResult(TaskResult.failure(first, workerId, new TaskError("TRANSIENT_ERROR",
                "read of s3://b/k: S3 unreachable", Map.of("dependency", "blob_store", "reason", "DEPENDENCY_ERROR")),
                Instant.now().getEpochSecond()));

        // then: the job is not quarantined but offered again, and a later attempt finishes it
        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("waiting_for_worker"))
                .body("error.details.dependency", equalTo("blob_store"));
        TaskPayload second = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        assertThat(second.jobId()).isEqualTo(jobId);
        assertThat(second.taskId()).isNotEqualTo(first.taskId());
        finish(worker, workerId, second, Map.of("ok", true));
        asClient(CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .body("status", equalTo("finished")).body("attempts", equalTo(2));
        worker.close();
    }

    @Test
    void shouldShowWhetherAWorkersS3ConfigurationMatchesTheOrchestrators() {
        // given: one worker with the orchestrator's S3 configuration hash, one with another
        String hash = S3TestServer.shared().settings().configHash().orElseThrow();
        String same = uniqueWorker("same-s3");
        String other = uniqueWorker("other-s3");
        for (String[] worker : new String[][] {{same, hash}, {other, "0123456789abcdef"}}) {
            try (Transport transport = Fixtures.transport(root, worker[0])) {
                transport.register(new WorkerRegistration(worker[0], null, java.util.List.of(), null, null, null, null,
                        null, new WorkerCapabilities("test-host", null, null, worker[1], null), null, null, null, null));
            }
        }

        // when
        java.util.List<Map<String, Object>> workers = asClient(CLIENT_TOKEN).when().get("/api/v1/workers")
                .then().statusCode(200).extract().jsonPath().getList("$");

        // then
        assertThat(workers).filteredOn(w -> same.equals(w.get("worker_id")))
                .singleElement().satisfies(w -> assertThat(w.get("s3_config_match")).isEqualTo(true));
        assertThat(workers).filteredOn(w -> other.equals(w.get("worker_id")))
                .singleElement().satisfies(w -> assertThat(w.get("s3_config_match")).isEqualTo(false));
    }
}
