package io.rxon.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSignaturesTest {

    private static final HmacSigner KEY = new HmacSigner("orchestrator-secret");

    @Test
    void shouldVerifyATaskSignedWithTheSameKeyAfterTheWire() {
        TaskPayload signed = TaskSignatures.sign(TaskPayload.of("j", "t", "echo", Map.of("a", 1.0)), KEY);

        TaskPayload received = Json.read(Json.write(signed), TaskPayload.class);

        assertThat(received.sig()).hasSize(64);
        assertThat(TaskSignatures.verify(received, KEY)).isTrue();
    }

    @Test
    void shouldIgnoreKeysTheReferenceAddsOutsideTheModel() {
        TaskPayload signed = TaskSignatures.sign(TaskPayload.of("j", "t", "echo", Map.of()), KEY);
        String wire = Json.writeString(signed).replaceFirst("\\{", "{\"skill_version\":\"1.0\",");

        assertThat(TaskSignatures.verify(Json.read(wire, TaskPayload.class), KEY)).isTrue();
    }

    @Test
    void shouldRefuseTamperedUnsignedAndForeignTasks() {
        TaskPayload signed = TaskSignatures.sign(TaskPayload.of("j", "t", "echo", Map.of("a", 1)), KEY);

        assertThat(TaskSignatures.verify(signed.withParams(Map.of("a", 2)), KEY)).isFalse();
        assertThat(TaskSignatures.verify(TaskPayload.of("j", "t", "echo", Map.of("a", 1)), KEY)).isFalse();
        assertThat(TaskSignatures.verify(signed, new HmacSigner("other"))).isFalse();
    }
}
