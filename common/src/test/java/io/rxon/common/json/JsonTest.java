package io.rxon.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.TaskPayload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.5", "true"})
    void shouldRefuseANonStringWhereAStringBelongs(String value) {
        String body = "{\"worker_id\":\"w-1\",\"status\":" + value + "}";

        assertThatThrownBy(() -> Json.read(body, Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Heartbeat");
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        String body = "{\"worker_id\":\"w-1\",\"status\":\"idle\",\"status\":\"busy\"}";

        assertThatThrownBy(() -> Json.tree(body.getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate field 'status'");
        assertThatThrownBy(() -> Json.read(body, Heartbeat.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStillAcceptTheReferencesFractionalTaskTimestamp() {
        String body = "{\"job_id\":\"j\",\"task_id\":\"t\",\"type\":\"echo\",\"timestamp\":1764840000.25}";

        TaskPayload task = Json.read(body, TaskPayload.class);

        assertThat(task.timestamp()).isEqualTo(1764840000L);
    }
}
