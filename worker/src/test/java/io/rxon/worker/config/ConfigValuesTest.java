package io.rxon.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void shouldTypeNumbersBooleansAndJson() {
        assertThat(ConfigValues.typed("24")).isEqualTo(24L);
        assertThat(ConfigValues.typed("-3")).isEqualTo(-3L);
        assertThat(ConfigValues.typed("12.5")).isEqualTo(12.5);
        assertThat(ConfigValues.typed("1e3")).isEqualTo(1000.0);
        assertThat(ConfigValues.typed("true")).isEqualTo(true);
        assertThat(ConfigValues.typed("[\"a\", 2]")).isEqualTo(List.of("a", 2));
        assertThat(ConfigValues.typed("{\"k\": 1}")).isEqualTo(Map.of("k", 1));
        assertThat(ConfigValues.typed("\"24\"")).isEqualTo("24");
    }

    @Test
    void shouldKeepEverythingElseAsText() {
        assertThat(ConfigValues.typed("lab-1")).isEqualTo("lab-1");
        assertThat(ConfigValues.typed("007")).isEqualTo("007");
        assertThat(ConfigValues.typed("[broken")).isEqualTo("[broken");
        assertThat(ConfigValues.typed("True")).isEqualTo("True");
    }

    @Test
    void shouldUseAConfiguredWorkerIdOrTheSanitisedHostName() {
        assertThat(WorkerBeans.workerId(Optional.of("gpu-box-1"))).isEqualTo("gpu-box-1");
        assertThat(WorkerBeans.workerId(Optional.empty())).matches("[A-Za-z0-9_-]{1,128}");
        assertThat(WorkerBeans.workerId(Optional.of(" "))).matches("[A-Za-z0-9_-]{1,128}");
    }

    @Test
    void shouldRefuseAConfiguredWorkerIdThatIsNotAnIdentifier() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerBeans.workerId(Optional.of("my worker")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RXON_WORKER_ID");
    }
}
