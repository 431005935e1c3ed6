package io.rxon.worker.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.S3Settings;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.ClaimCheck;
import io.rxon.common.blob.VerifyingInputStream;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.worker.runtime.WorkerRuntime;
import io.rxon.worker.skill.BlobInputs;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillResult;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.skill.builtin.Sha256Skill;
import io.rxon.worker.testing.RecordingTransport;
import io.rxon.worker.testing.SkillHarness;
import io.rxon.worker.testing.Workers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's blob handling against a real S3 server (s3proxy): claim-checked params restored and
 * large results offloaded, small ones inline, outputs uploaded with their metadata, inputs staged
 * as files, corrupted blobs reported as integrity mismatches and an unreachable store as a
 * retryable failure.
 */
class S3TaskBlobsTest {

    private static final long THRESHOLD = 256 * 1024;
    private static S3BlobStore store;

    @TempDir
    static Path tasks;

    @BeforeAll
    static void connect() {
        store = new S3BlobStore(S3TestServer.shared().settings(), Runnable::run);
    }

    @AfterAll
    static void disconnect() {
        store.close();
    }

    private static TaskBlobs blobs(S3BlobStore using) {
        return new TaskBlobs(using, S3TestServer.BUCKET, true, THRESHOLD, 64L * 1024 * 1024, tasks);
    }

    private static String jobId() {
        return "job-" + UUID.randomUUID();
    }

    private static TaskPayload task(String jobId, String type, Map<String, Object> params,
            Map<String, FileMetadata> metadata) {
        return new TaskPayload(jobId, "task-" + UUID.randomUUID(), type, params, null, metadata, 0.0, null, null,
                null, null, null, null, 0, 0, null, null);
    }

    private static BlobUri put(String jobId, String name, byte[] content) {
        BlobUri uri = BlobKeys.directory(S3TestServer.BUCKET, jobId).resolve(name);
        store.upload(new ByteArrayInputStream(content), content.length, uri).toCompletableFuture().join();
        return uri;
    }

    private static Map<String, Object> read(String uri) throws Exception {
        try (InputStream in = store.open(BlobUri.parse(uri)).toCompletableFuture().join()) {
            return Json.read(in.readAllBytes(), Map.class);
        }
    }

    @Test
    void shouldRestoreOffloadedParamsAndOffloadALargeResult() throws Exception {
        // given: params over the threshold, offloaded as the orchestrator does
        String jobId = jobId();
        Map<String, Object> params = Map.of("text", "z".repeat(300 * 1024));
        ClaimCheck.Offloaded claim = new ClaimCheck(store, THRESHOLD, Long.MAX_VALUE)
                .offload(params, BlobKeys.params(S3TestServer.BUCKET, jobId)).toCompletableFuture().join().orElseThrow();

        // when the echo skill runs on the claim check
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), new EchoSkill())) {
            result = harness.run(task(jobId, "echo", claim.reference(), claim.metadata()));
        }

        // then it saw the original params, and its (equally large) result travels as a claim check
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.data()).containsOnlyKeys(ClaimCheck.KEY);
        String reference = (String) result.data().get(ClaimCheck.KEY);
        assertThat(reference).isEqualTo("s3://" + S3TestServer.BUCKET + "/jobs/" + jobId + "/result-"
                + result.taskId() + ".json");
        FileMetadata metadata = result.dataMetadata().get(ClaimCheck.KEY);
        assertThat(metadata.size()).isGreaterThan(THRESHOLD);
        assertThat(metadata.sha256()).hasSize(64);
        assertThat(read(reference).equals(params)).as("the offloaded result is the echoed params").isTrue();
    }

    @Test
    void shouldKeepASmallResultInline() {
        // given
        Map<String, Object> params = Map.of("text", "small");

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), new EchoSkill())) {
            result = harness.run(task(jobId(), "echo", params, null));
        }

        // then
        assertThat(result.data()).isEqualTo(params);
        assertThat(result.dataMetadata()).isNullOrEmpty();
    }

    @Test
    void shouldReportATamperedClaimCheckAsAnIntegrityMismatch() {
        // given: offloaded params whose blob is then replaced
        String jobId = jobId();
        ClaimCheck.Offloaded claim = new ClaimCheck(store, 10, Long.MAX_VALUE)
                .offload(Map.of("n", 123456789), BlobKeys.params(S3TestServer.BUCKET, jobId)).toCompletableFuture()
                .join().orElseThrow();
        put(jobId, BlobKeys.PARAMS, "{\"n\":987654321}".getBytes(StandardCharsets.UTF_8));

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), new EchoSkill())) {
            result = harness.run(task(jobId, "echo", claim.reference(), claim.metadata()));
        }

        // then
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR);
    }

    @Test
    void shouldReportACorruptedInputBlobAsAnIntegrityMismatch() {
        // given: the client's input and its metadata, then the object is overwritten (same size)
        String jobId = jobId();
        BlobUri uri = put(jobId, "input.bin", "original content".getBytes(StandardCharsets.UTF_8));
        FileMetadata metadata = store.metadata(uri).toCompletableFuture().join()
                .map(info -> new FileMetadata(uri.toString(), info.size(), info.etag(), null)).orElseThrow();
        put(jobId, "input.bin", "corrupted conten".getBytes(StandardCharsets.UTF_8));

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), new Sha256Skill())) {
            result = harness.run(task(jobId, "sha256", Map.of("uri", uri.toString()), Map.of("uri", metadata)));
        }

        // then
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR);
        assertThat(result.error().message()).contains("ETag");
    }

    @Test
    void shouldReportACorruptedInputBlobWithASha256AsAnIntegrityMismatch() {
        // given: an input written by rxon (its metadata states the SHA-256), then overwritten with the same size
        String jobId = jobId();
        BlobUri uri = BlobKeys.directory(S3TestServer.BUCKET, jobId).resolve("input.bin");
        FileMetadata written = store.upload(new ByteArrayInputStream("original content".getBytes(
                StandardCharsets.UTF_8)), -1, uri).toCompletableFuture().join();
        FileMetadata metadata = new FileMetadata(uri.toString(), written.size(), null, written.metadata());
        put(jobId, "input.bin", "corrupted conten".getBytes(StandardCharsets.UTF_8));

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), new Sha256Skill())) {
            result = harness.run(task(jobId, "sha256", Map.of("uri", uri.toString()), Map.of("uri", metadata)));
        }

        // then
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR);
        assertThat(result.error().message()).contains("SHA-256");
    }

    @Test
    void shouldHashAnInputWhileReadingOnlyWhenItsMetadataStatesASha256() throws Exception {
        // given: the same blob described as a client upload (size and ETag) and as written by rxon (SHA-256 too)
        String jobId = jobId();
        byte[] content = "some input".getBytes(StandardCharsets.UTF_8);
        BlobUri uri = BlobKeys.directory(S3TestServer.BUCKET, jobId).resolve("input.bin");
        FileMetadata written = store.upload(new ByteArrayInputStream(content), content.length, uri)
                .toCompletableFuture().join();
        FileMetadata uploaded = new FileMetadata(uri.toString(), written.size(), written.etag(), null);

        // when
        List<String> uploadedDigests;
        List<String> writtenDigests;
        try (TaskFiles files = blobs(store).files(task(jobId, "sha256", Map.of(), Map.of("uri", uploaded)));
                InputStream in = files.open(uri.toString())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            uploadedDigests = ((VerifyingInputStream) in).digestAlgorithms();
        }
        try (TaskFiles files = blobs(store).files(task(jobId, "sha256", Map.of(), Map.of("uri", written)));
                InputStream in = files.open(uri.toString())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            writtenDigests = ((VerifyingInputStream) in).digestAlgorithms();
        }

        // then: the store's ETag is compared with the client upload's, so nothing is hashed; the SHA-256 is
        assertThat(uploadedDigests).isEmpty();
        assertThat(writtenDigests).containsExactly("SHA-256");
    }

    @Test
    void shouldUploadOutputsAndDescribeThemInDataMetadata() throws Exception {
        // given: a skill that writes one output as a stream and another as a file in its directory
        Skill producer = new Skill() {
            @Override
            public SkillInfo info() {
                return SkillDescriptor.builder("produce").build();
            }

            @Override
            public SkillResult execute(SkillContext context) throws Exception {
                FileMetadata streamed = context.blobs().upload("report.txt",
                        new ByteArrayInputStream("report".getBytes(StandardCharsets.UTF_8)), -1);
                Path file = Files.writeString(context.blobs().workDir().resolve("image.raw"), "pixels");
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("report", streamed.uri());
                data.put("files", java.util.List.of(file.toString()));
                return SkillResult.of(data);
            }
        };
        String jobId = jobId();

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), producer)) {
            result = harness.run(task(jobId, "produce", Map.of(), null));
        }

        // then: both are blobs under the task's prefix, with metadata by key path; the task directory is gone
        String prefix = "s3://" + S3TestServer.BUCKET + "/jobs/" + jobId + "/" + result.taskId() + "/";
        assertThat(result.data().get("report")).isEqualTo(prefix + "report.txt");
        assertThat(result.data().get("files")).isEqualTo(java.util.List.of(prefix + "image.raw"));
        assertThat(result.dataMetadata().get("report").size()).isEqualTo(6);
        assertThat(result.dataMetadata().get("files[0]").uri()).isEqualTo(prefix + "image.raw");
        assertThat(result.dataMetadata().get("files[0]").sha256()).hasSize(64);
        assertThat(tasks.resolve(result.taskId())).doesNotExist();
        try (InputStream in = store.open(BlobUri.parse(prefix + "image.raw")).toCompletableFuture().join()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("pixels");
        }
    }

    @Test
    void shouldDownloadInputsForSkillsThatWantLocalFiles() {
        // given
        String jobId = jobId();
        BlobUri uri = put(jobId, "data.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        Skill counter = new Skill() {
            @Override
            public SkillInfo info() {
                return SkillDescriptor.builder("lines").build();
            }

            @Override
            public BlobInputs blobInputs() {
                return BlobInputs.LOCAL_FILES;
            }

            @Override
            public SkillResult execute(SkillContext context) throws Exception {
                Path file = Path.of((String) context.params().get("csv"));
                return SkillResult.of(Map.of("lines", Files.readAllLines(file).size(), "local", file.startsWith(tasks)));
            }
        };

        // when
        TaskResult result;
        try (SkillHarness harness = new SkillHarness(blobs(store), counter)) {
            result = harness.run(task(jobId, "lines", Map.of("csv", uri.toString()), null));
        }

        // then
        assertThat(result.data()).isEqualTo(Map.of("lines", 2, "local", true));
    }

    @Test
    void shouldReportAnUnreachableStoreAsARetryableFailureOfTheTask() throws Exception {
        // given: a whole worker whose S3 endpoint does not answer
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3Settings down = S3TestServer.shared().settings().withEndpoint(URI.create("http://127.0.0.1:" + port));
        RecordingTransport transport = new RecordingTransport("w-s3-down");
        try (S3BlobStore unreachable = new S3BlobStore(down, Runnable::run)) {
            WorkerRuntime worker = Workers.runtime(Workers.settings(1), transport, blobs(unreachable),
                    new Sha256Skill());
            worker.start();
            try {
                // when
                transport.mock().pushTask(task(jobId(), "sha256", Map.of("uri", "s3://" + S3TestServer.BUCKET
                        + "/jobs/x/in.bin"), null));

                // then: TRANSIENT_ERROR (the orchestrator retries it later), naming the store as the cause
                await().atMost(Duration.ofSeconds(20)).until(() -> !transport.mock().results().isEmpty());
                TaskResult result = transport.mock().results().get(0);
                assertThat(result.error().errorCode()).isEqualTo(ErrorCode.TRANSIENT_ERROR);
                assertThat(result.error().details()).containsEntry("dependency", "blob_store")
                        .containsEntry("reason", "DEPENDENCY_ERROR");
                assertThat(ErrorCode.TRANSIENT_ERROR.reaction()).isEqualTo(ErrorCode.Reaction.RETRY);
            } finally {
                worker.drain();
            }
        }
    }
}
