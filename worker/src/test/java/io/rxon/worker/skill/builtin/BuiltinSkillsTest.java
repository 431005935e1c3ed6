package io.rxon.worker.skill.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.LocalDirectoryBlobStore;
import io.rxon.common.contract.SchemaValidator;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.worker.task.TaskRun;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.testing.SkillHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinSkillsTest {

    /** SHA-256 of the ASCII text "hello". */
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @TempDir
    Path blobRoot;

    private LocalDirectoryBlobStore blobs;
    private SkillHarness harness;

    @BeforeEach
    void setUp() {
        blobs = new LocalDirectoryBlobStore(blobRoot, Runnable::run);
        harness = new SkillHarness(new TaskBlobs(blobs, "b", false, Long.MAX_VALUE, 1024, blobRoot.resolve("tasks")),
                new EchoSkill(), new SleepSkill(), new Sha256Skill());
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static TaskPayload withMetadata(String type, Map<String, Object> params,
            Map<String, FileMetadata> metadata) {
        return new TaskPayload("j", "t", type, params, null, metadata, 0.0, null, null, null, null, null, null, 0, 0,
                null, null);
    }

    @Test
    void echoShouldReturnItsParamsAsData() {
        Map<String, Object> params = Map.of("text", "hi", "nested", Map.of("list", List.of(1, 2)));
        TaskResult result = harness.run(TaskPayload.of("j", "t", "echo", params));
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.data()).isEqualTo(params);
    }

    @Test
    void sleepShouldReportProgressInStepsAndSayHowLongItSlept() {
        // when sleep runs 0.3 s (one step per started second, so a single step)
        TaskResult result = harness.run(TaskPayload.of("j", "t", "sleep", Map.of("seconds", 0.3)));

        // then it succeeds and reported 100 % progress
        assertThat(result.data()).containsEntry("slept_seconds", 0.3);
        List<WorkerEventPayload> events = harness.events();
        assertThat(events).extracting(WorkerEventPayload::eventType).containsOnly(Protocol.EVENT_PROGRESS);
        assertThat(events.get(events.size() - 1).payload()).containsEntry("progress", 1.0);
    }

    @Test
    void sleepShouldStopAtOnceWhenCancelled() {
        // given a sleep of an hour
        TaskRun run = new TaskRun(TaskPayload.of("j", "t", "sleep", Map.of("seconds", 3600)), Instant.now());
        CompletableFuture<TaskResult> result = harness.start(run);

        // when cancelled
        run.requestStop(TaskRun.StopReason.CANCELLED);

        // then it ends cancelled long before the hour
        await().atMost(Duration.ofSeconds(5)).until(result::isDone);
        assertThat(result.join().status()).isEqualTo(ResultStatus.CANCELLED.wire());
    }

    @Test
    void sleepShouldRefuseNegativeOrMissingSeconds() {
        assertThat(harness.run(TaskPayload.of("j", "t", "sleep", Map.of("seconds", -1))).error().errorCode())
                .isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
        assertThat(harness.run(TaskPayload.of("j", "t", "sleep", Map.of())).error().errorCode())
                .isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
    }

    @Test
    void sha256ShouldHashInlineText() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "sha256", Map.of("data", "hello")));
        assertThat(result.data()).containsEntry("sha256", HELLO_SHA256).containsEntry("size", 5L)
                .containsEntry("source", "data");
    }

    @Test
    void sha256ShouldHashInlineBase64Bytes() {
        String encoded = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
        TaskResult result = harness.run(TaskPayload.of("j", "t", "sha256", Map.of("data_base64", encoded)));
        assertThat(result.data()).containsEntry("sha256", HELLO_SHA256);
    }

    @Test
    void sha256ShouldCallBadBase64InvalidInput() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "sha256", Map.of("data_base64", "***")));
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
    }

    @Test
    void sha256ShouldRequireExactlyOneSource() {
        TaskResult both = harness.run(TaskPayload.of("j", "t", "sha256", Map.of("data", "a", "data_base64", "YQ==")));
        TaskResult none = harness.run(TaskPayload.of("j", "t", "sha256", Map.of()));
        assertThat(both.error().errorCode()).isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
        assertThat(none.error().errorCode()).isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
    }

    @Test
    void sha256ShouldHashABlobAndCheckItsMetadata() throws Exception {
        // given a blob uploaded with its metadata
        BlobUri uri = BlobUri.parse("s3://bucket/jobs/j/input.txt");
        FileMetadata metadata = blobs.upload(new java.io.ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)),
                5, uri).toCompletableFuture().join();

        // when its digest is asked for with that metadata
        TaskResult result = harness.run(withMetadata("sha256", Map.of("uri", uri.toString()),
                Map.of("uri", metadata)));

        // then it matches, and the result follows the output schema
        assertThat(result.data()).containsEntry("sha256", HELLO_SHA256).containsEntry("size", 5L)
                .containsEntry("source", "uri");
        assertThat(SchemaValidator.compile(new Sha256Skill().info().outputSchema()).validate(result.data())).isEmpty();
    }

    @Test
    void sha256ShouldReportABlobThatDiffersFromItsMetadataAsAnIntegrityMismatch() {
        // given a blob whose metadata claims another size
        BlobUri uri = BlobUri.parse("s3://bucket/jobs/j/input.txt");
        blobs.upload(new java.io.ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 5, uri)
                .toCompletableFuture().join();
        FileMetadata wrong = new FileMetadata(uri.toString(), 6, null, null);

        // when hashed
        TaskResult result = harness.run(withMetadata("sha256", Map.of("uri", uri.toString()), Map.of("uri", wrong)));

        // then the task fails with INTEGRITY_MISMATCH_ERROR
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR);
    }

    @Test
    void sha256ShouldReportAMissingBlobAsAMissingDependency() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "sha256", Map.of("uri", "s3://bucket/nothing")));
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.DEPENDENCY_MISSING_ERROR);
    }
}
