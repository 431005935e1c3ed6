package io.rxon.orchestrator.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rxon.blob.s3.S3BlobPresigner;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.S3Settings;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import io.rxon.orchestrator.testing.ReferenceParent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blobs of parent tasks (docs/HOLARCHY.md): a parent with another store (here another bucket, so
 * another {@code s3_config_hash}) hands out presigned GET URLs, and this region copies the blobs into
 * its own store before the leaf sees the task; for results it gives presigned PUT URLs, and the region
 * uploads the result's blobs there. With a shared store, or a reference parent, references pass untouched.
 */
@QuarkusTest
@TestProfile(UplinkProfile.class)
class UplinkBlobsTest {

    private static final ReferenceParent PARENT = UplinkProfile.PARENT;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PARENT_BUCKET = "rxon-parent-" + UUID.randomUUID().toString().substring(0, 8);

    private static S3Settings parentSettings;
    private static S3BlobStore parentStore;
    private static S3BlobPresigner parentPresigner;
    private static S3BlobStore regionStore;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void stores() {
        S3TestServer server = S3TestServer.shared();
        server.createBucket(PARENT_BUCKET);
        parentSettings = S3Settings.of(server.endpoint(), PARENT_BUCKET, S3TestServer.ACCESS_KEY,
                S3TestServer.SECRET_KEY);
        parentStore = new S3BlobStore(parentSettings, Runnable::run);
        parentPresigner = new S3BlobPresigner(parentSettings);
        regionStore = new S3BlobStore(server.settings(), Runnable::run);
    }

    @AfterAll
    static void close() {
        parentStore.close();
        parentPresigner.close();
        regionStore.close();
    }

    @Test
    void shouldCopyABlobFromTheParentsStoreIntoItsOwnWhenTheParentGivesAPresignedUrl() throws Exception {
        // given a leaf below this region, and a blob in the parent's store (another bucket: another config hash)
        String skill = Fixtures.uniqueSkill("blob_down");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        JsonNode registration = await().atMost(WAIT).until(() -> offering(skill), node -> node != null);
        byte[] content = randomBytes(300 * 1024 + 7);
        FileMetadata stored = parentBlob("jobs/upload-parent/in put.bin", content);

        // when the parent hands down a task referring to it, with a presigned GET URL for it
        String parentTask = UUID.randomUUID().toString();
        PARENT.offer(task(parentTask, skill, Map.of("input", stored.uri(), "mode", "fast"),
                Map.of("input", stored), Map.of(stored.uri(), presignedGet(stored.uri()))));

        // then the leaf's task refers to a byte-identical copy in the region's own store
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), task -> task.isPresent()).get();
        String copy = (String) leafTask.params().get("input");
        assertThat(copy).startsWith("s3://" + S3TestServer.BUCKET + "/jobs/upload-").endsWith("/in_put.bin");
        assertThat(leafTask.params()).containsEntry("mode", "fast");
        assertThat(leafTask.paramsMetadata().get("input").size()).isEqualTo(content.length);
        assertThat(leafTask.extra()).doesNotContainKey(Protocol.TASK_BLOB_URLS);
        try (InputStream read = regionStore.open(BlobUri.parse(copy)).toCompletableFuture().join()) {
            assertThat(read.readAllBytes()).isEqualTo(content);
        }
        assertThat(registration.path("capabilities").path("s3_config_hash").asText())
                .isEqualTo(S3TestServer.shared().settings().configHash().orElseThrow());
    }

    @Test
    void shouldPassReferencesIntoASharedStoreUntouched() throws Exception {
        // given a leaf, and a blob the parent's client uploaded into the store both levels share
        String skill = Fixtures.uniqueSkill("blob_shared");
        Transport leaf = Fixtures.registeredWorker(root, Fixtures.uniqueWorker("leaf"), skill);
        await().atMost(WAIT).until(() -> offering(skill), node -> node != null);
        String uri = "s3://" + S3TestServer.BUCKET + "/jobs/upload-of-the-parent-" + UUID.randomUUID() + "/in.bin";
        byte[] content = randomBytes(1024);
        regionStore.upload(new ByteArrayInputStream(content), content.length, BlobUri.parse(uri))
                .toCompletableFuture().join();

        // when the parent hands down a task referring to it, without URLs (it shares the store)
        PARENT.offer(task(UUID.randomUUID().toString(), skill, Map.of("input", uri), null, Map.of()));

        // then the leaf gets the reference as it was, with the blob's metadata
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), task -> task.isPresent()).get();
        assertThat(leafTask.params()).containsEntry("input", uri);
        assertThat(leafTask.paramsMetadata().get("input").size()).isEqualTo(content.length);
    }

    @Test
    void shouldRefuseATaskWhoseCopiedBlobDiffersFromItsMetadataAndOneWithAnUnusableUrl() throws Exception {
        // given a blob in the parent's store, announced with the wrong size
        String skill = Fixtures.uniqueSkill("blob_bad");
        Fixtures.registeredWorker(root, Fixtures.uniqueWorker("leaf"), skill);
        await().atMost(WAIT).until(() -> offering(skill), node -> node != null);
        FileMetadata stored = parentBlob("jobs/upload-parent/bad.bin", randomBytes(2048));
        FileMetadata lying = new FileMetadata(stored.uri(), 4096, null, null);

        // when the parent hands down a task with it, and another whose URL is not one
        String wrongSize = UUID.randomUUID().toString();
        PARENT.offer(task(wrongSize, skill, Map.of("input", stored.uri()), Map.of("input", lying),
                Map.of(stored.uri(), presignedGet(stored.uri()))));
        String badUrl = UUID.randomUUID().toString();
        PARENT.offer(task(badUrl, skill, Map.of("input", stored.uri()), null,
                Map.of(stored.uri(), Map.of("url", "not a url at all"))));

        // then the parent receives failures that say why
        JsonNode integrity = await().atMost(WAIT).until(() -> PARENT.resultsFor(wrongSize), list -> !list.isEmpty())
                .get(0);
        assertThat(integrity.path("status").asText()).isEqualTo("failure");
        assertThat(integrity.path("error").path("code").asText()).isEqualTo("INTEGRITY_MISMATCH_ERROR");
        JsonNode invalid = await().atMost(WAIT).until(() -> PARENT.resultsFor(badUrl), list -> !list.isEmpty())
                .get(0);
        assertThat(invalid.path("error").path("code").asText()).isEqualTo("INVALID_INPUT_ERROR");
    }

    @Test
    void shouldUploadAResultBlobIntoTheParentsStoreAndNameItThereWhenTheParentGivesUploadUrls() throws Exception {
        // given a parent with another store that gives presigned PUT URLs into the task's directory
        PARENT.blobUploadUrls = request -> Map.of("shared", false, "urls", List.of(putUrl(request)));
        try {
            String skill = Fixtures.uniqueSkill("blob_up");
            String leafId = Fixtures.uniqueWorker("leaf");
            Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
            await().atMost(WAIT).until(() -> offering(skill), node -> node != null);
            String parentJob = UUID.randomUUID().toString();
            String parentTask = UUID.randomUUID().toString();
            PARENT.offer(new TaskPayload(parentJob, parentTask, skill, Map.of(), null, null, 0.0, null, null, null,
                    Instant.now().getEpochSecond(), null, null, 0, 0, null, Map.of()));
            TaskPayload leafTask = await().atMost(WAIT).until(
                    () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), task -> task.isPresent()).get();

            // when the leaf writes a result blob into the region's store and names it in its result
            byte[] content = randomBytes(200 * 1024 + 3);
            FileMetadata written = regionStore.upload(new ByteArrayInputStream(content), content.length,
                    BlobUri.parse("s3://" + S3TestServer.BUCKET + "/jobs/" + leafTask.jobId() + "/"
                            + leafTask.taskId() + "/out.bin")).toCompletableFuture().join();
            leaf.sendResult(new TaskResult(leafTask.jobId(), leafTask.taskId(), leafId, null, null,
                    Map.of("output", written.uri(), "note", "done"), null, Map.of("output", written), null, null,
                    Instant.now().getEpochSecond(), null));

            // then the parent's result names a byte-identical blob in the parent's store
            JsonNode result = await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask), list -> !list.isEmpty())
                    .get(0);
            String moved = result.path("data").path("output").asText();
            assertThat(moved).isEqualTo("s3://" + PARENT_BUCKET + "/jobs/" + parentJob + "/" + parentTask + "/out.bin");
            assertThat(result.path("data").path("note").asText()).isEqualTo("done");
            assertThat(result.path("data_metadata").path("output").path("uri").asText()).isEqualTo(moved);
            assertThat(result.path("data_metadata").path("output").path("size").asLong()).isEqualTo(content.length);
            try (InputStream read = parentStore.open(BlobUri.parse(moved)).toCompletableFuture().join()) {
                assertThat(read.readAllBytes()).isEqualTo(content);
            }
        } finally {
            PARENT.blobUploadUrls = null;
        }
    }

    @Test
    void shouldLeaveResultReferencesUntouchedWhenTheParentOffersNoUploadUrls() {
        // given a reference parent (no upload URLs) and a leaf
        String skill = Fixtures.uniqueSkill("blob_up_ref");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        await().atMost(WAIT).until(() -> offering(skill), node -> node != null);
        String parentTask = UUID.randomUUID().toString();
        PARENT.offer(task(parentTask, skill, Map.of(), null, Map.of()));
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), task -> task.isPresent()).get();

        // when the leaf names a blob of the region's store in its result
        byte[] content = randomBytes(100);
        FileMetadata written = regionStore.upload(new ByteArrayInputStream(content), content.length,
                BlobUri.parse("s3://" + S3TestServer.BUCKET + "/jobs/" + leafTask.jobId() + "/" + leafTask.taskId()
                        + "/out.bin")).toCompletableFuture().join();
        leaf.sendResult(TaskResult.success(leafTask, leafId, Map.of("output", written.uri()),
                Instant.now().getEpochSecond()));

        // then the parent gets the reference as it was
        JsonNode result = await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask), list -> !list.isEmpty())
                .get(0);
        assertThat(result.path("data").path("output").asText()).isEqualTo(written.uri());
    }

    /** What an rxon-java parent answers for the one blob of {@code request}. */
    private static Map<String, Object> putUrl(JsonNode request) {
        JsonNode blob = request.path("blobs").get(0);
        BlobUri target = new BlobUri(PARENT_BUCKET, "jobs/" + request.path("job_id").asText() + "/"
                + request.path("task_id").asText() + "/" + blob.path("name").asText(), false);
        S3BlobPresigner.PresignedUrl url = parentPresigner.put(target, Duration.ofMinutes(5),
                blob.path("size").asLong(), null);
        return Map.of("name", blob.path("name").asText(), "uri", target.toString(), "url", url.url().toString(),
                "headers", url.headers(), "expires_at", url.expiresAt().getEpochSecond());
    }

    private static FileMetadata parentBlob(String key, byte[] content) {
        return parentStore.upload(new ByteArrayInputStream(content), content.length,
                new BlobUri(PARENT_BUCKET, key, false)).toCompletableFuture().join();
    }

    /** What an rxon-java parent puts under {@code blob_urls} for one reference. */
    private static Map<String, Object> presignedGet(String uri) {
        S3BlobPresigner.PresignedUrl url = parentPresigner.get(BlobUri.parse(uri), Duration.ofMinutes(5), null);
        return Map.of("url", url.url().toString(), "headers", url.headers(),
                "expires_at", url.expiresAt().getEpochSecond());
    }

    private static TaskPayload task(String taskId, String type, Map<String, Object> params,
            Map<String, FileMetadata> paramsMetadata, Map<String, Object> blobUrls) {
        Map<String, Object> extra = blobUrls.isEmpty() ? Map.of() : Map.of(Protocol.TASK_BLOB_URLS, blobUrls);
        return new TaskPayload(UUID.randomUUID().toString(), taskId, type, params, null, paramsMetadata, 0.0, null,
                null, null, Instant.now().getEpochSecond(), null, null, 0, 0, null, extra);
    }

    private static byte[] randomBytes(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }

    /** The latest registration the parent received that offers {@code skill}, or null. */
    private static JsonNode offering(String skill) {
        List<JsonNode> registrations = List.copyOf(PARENT.registrations);
        for (int i = registrations.size() - 1; i >= 0; i--) {
            if (StreamSupport.stream(registrations.get(i).path("supported_skills").spliterator(), false)
                    .anyMatch(offered -> skill.equals(offered.path("name").asText()))) {
                return registrations.get(i);
            }
        }
        return null;
    }
}
