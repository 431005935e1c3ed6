package io.rxon.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire format of the message records: field names, defaults on input, omission on output. */
class MessagesJsonTest {

    @Test
    void shouldApplyDefaultsAndIgnoreUnknownFieldsWhenDecodingARegistration() {
        // given a minimal registration from a newer peer with an unknown field
        String body = """
                {"worker_id":"w1","future_field":{"x":1},
                 "supported_skills":[{"name":"echo","unknown":true}],
                 "capabilities":{"extra":{"websockets":true}},
                 "installed_artifacts":[{"name":"llama"}]}""";

        // when
        WorkerRegistration registration = Json.read(body, WorkerRegistration.class);

        // then
        assertThat(registration.workerType()).isEqualTo("generic");
        assertThat(registration.supportedSkills()).extracting(SkillInfo::schemaDialect).containsExactly("json-schema");
        assertThat(registration.capabilities().hostname()).isEqualTo("unknown");
        assertThat(registration.capabilities().ipAddress()).isEqualTo("0.0.0.0");
        assertThat(registration.capabilities().hasExtraFlag("websockets")).isTrue();
        assertThat(registration.installedArtifacts().get(0).version()).isEqualTo("unknown");
        assertThat(registration.timestamp()).isNull();
    }

    @Test
    void shouldOmitNullsAndDefaultValuedFieldsWhenEncoding() {
        // given messages whose optional fields hold their defaults
        WorkerRegistration registration = new WorkerRegistration("w1", "generic", List.of(SkillInfo.named("echo")),
                null, null, null, null, List.of(new InstalledArtifact("m", null, null, null)),
                new WorkerCapabilities(null, null, null, null, null), null, null, null, 5L);
        TaskPayload task = TaskPayload.of("j1", "t1", "echo", Map.of("a", 1));
        TaskResult result = TaskResult.success(task, "w1", Map.of("a", 1), 5L);

        // then the bytes look like the reference's omit_defaults output
        assertThat(Json.writeString(registration)).isEqualTo(
                "{\"worker_id\":\"w1\",\"supported_skills\":[{\"name\":\"echo\"}],"
                        + "\"installed_artifacts\":[{\"name\":\"m\"}],\"capabilities\":{},\"timestamp\":5}");
        assertThat(Json.writeString(task)).isEqualTo(
                "{\"job_id\":\"j1\",\"task_id\":\"t1\",\"type\":\"echo\",\"params\":{\"a\":1}}");
        assertThat(Json.tree(Json.write(result)).has("status")).isFalse();
    }

    @Test
    void shouldWriteNonDefaultValues() {
        TaskPayload task = Json.read("{\"job_id\":\"j\",\"task_id\":\"t\",\"type\":\"x\",\"priority\":2.5,"
                + "\"step\":3,\"depth\":1}", TaskPayload.class);
        TaskResult failure = TaskResult.failure(task, "w1", new TaskError(ErrorCode.INVALID_INPUT_ERROR, "bad"), 1L);

        JsonNode taskJson = Json.tree(Json.write(task));
        JsonNode failureJson = Json.tree(Json.write(failure));

        assertThat(taskJson.get("priority").asDouble()).isEqualTo(2.5);
        assertThat(taskJson.get("step").asInt()).isEqualTo(3);
        assertThat(failureJson.get("status").asText()).isEqualTo("failure");
        assertThat(failureJson.at("/error/code").asText()).isEqualTo("INVALID_INPUT_ERROR");
    }

    @Test
    void shouldKeepTheReferenceOrchestratorsExtraTaskKeys() {
        // given a poll response of the Python orchestrator
        String body = "{\"job_id\":\"j\",\"task_id\":\"t\",\"type\":\"echo\",\"skill_version\":\"1.0\","
                + "\"skill_type\":\"echo\",\"origin_worker_id\":\"edge-7\",\"timestamp\":1760000000.25}";

        // when
        TaskPayload task = Json.read(body, TaskPayload.class);

        // then the extras survive a round trip and the float timestamp is accepted
        assertThat(task.extra()).containsEntry("skill_version", "1.0").containsEntry("skill_type", "echo");
        assertThat(task.originWorkerIdOr("me")).isEqualTo("edge-7");
        assertThat(task.timestamp()).isEqualTo(1760000000L);
        assertThat(Json.tree(Json.write(task)).get("skill_version").asText()).isEqualTo("1.0");
        assertThat(Json.tree(Json.write(task)).has("extra")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "\"5\"", "[1]", "{}"})
    void shouldRejectWronglyTypedFieldsWithAClearMessage(String step) {
        String body = "{\"job_id\":\"j\",\"task_id\":\"t\",\"type\":\"x\",\"step\":" + step + "}";

        assertThatThrownBy(() -> Json.read(body, TaskPayload.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Failed to decode TaskPayload");
    }

    @Test
    void shouldNameTheMissingRequiredField() {
        assertThatThrownBy(() -> Json.read("{\"status\":\"idle\"}", Heartbeat.class))
                .hasMessageContaining("worker_id");
        assertThatThrownBy(() -> Json.read("{\"job_id\":\"j\"}", TaskResult.class))
                .hasMessageContaining("task_id");
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThatThrownBy(() -> Json.read("{\"worker_id\":", Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("{\"worker_id\":\"w\",\"status\":\"s\"} trailing", Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.tree(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcceptAStringErrorAsATransientFailureMessage() {
        TaskResult result = Json.read("{\"job_id\":\"j\",\"task_id\":\"t\",\"status\":\"failure\",\"error\":\"boom\"}",
                TaskResult.class);

        assertThat(result.error().message()).isEqualTo("boom");
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.TRANSIENT_ERROR);
    }

    @Test
    void shouldTreatAMissingErrorCodeAsTransient() {
        TaskError error = Json.read("{\"message\":\"m\"}", TaskError.class);

        assertThat(error.errorCode()).isEqualTo(ErrorCode.TRANSIENT_ERROR);
    }

    @Test
    void shouldDecodeHeartbeatResponsesWithInstructions() {
        HeartbeatResponse response = Json.read("{\"status\":\"ok\",\"require_full_sync\":true,"
                + "\"cancel_task_ids\":[\"t1\"]}", HeartbeatResponse.class);

        assertThat(response.fullSyncRequested()).isTrue();
        assertThat(response.cancelTaskIdsOrEmpty()).containsExactly("t1");
        assertThat(HeartbeatResponse.ok().cancelTaskIdsOrEmpty()).isEmpty();
    }

    @Test
    void shouldNeverPrintTokens() {
        TokenResponse token = new TokenResponse("access-secret", 3600, "w1", "refresh-secret", null);

        assertThat(token.toString()).doesNotContain("access-secret").doesNotContain("refresh-secret");
    }

    @Test
    void shouldKeepNullElementsOfFreeFormData() {
        TaskResult result = Json.read("{\"job_id\":\"j\",\"task_id\":\"t\",\"data\":{\"l\":[1,null],\"n\":null}}",
                TaskResult.class);

        assertThat(result.data()).containsKey("n");
        assertThat(result.data().get("l")).isEqualTo(Arrays.asList(1, null));
    }

    @Test
    void shouldCarryFileMetadataDigest() {
        FileMetadata metadata = Json.read("{\"uri\":\"s3://b/k\",\"size\":10,\"metadata\":{\"sha256\":\"ab\"}}",
                FileMetadata.class);

        assertThat(metadata.sha256()).isEqualTo("ab");
        assertThat(Json.writeString(new FileMetadata("s3://b/k", 0, null, null))).isEqualTo("{\"uri\":\"s3://b/k\"}");
    }
}
