package io.rxon.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingConfigSourceTest {

    /** Read before {@code RXON_OTLP_ENDPOINT}, so a test decides whatever the environment says. */
    private static final String ENDPOINT = "rxon.otlp.endpoint";

    private final TracingConfigSource source = new TracingConfigSource();

    @AfterEach
    void clearEndpoint() {
        System.clearProperty(ENDPOINT);
    }

    @Test
    void givenAnEndpointWhenTheSdkSwitchIsReadThenItSaysEnabledAndNothingElse() {
        // given
        System.setProperty(ENDPOINT, "http://collector:4318");

        // then
        assertThat(source.getValue(TracingConfigSource.SDK_DISABLED)).isEqualTo("false");
        assertThat(source.getProperties()).containsExactly(entry(TracingConfigSource.SDK_DISABLED, "false"));
        assertThat(source.getPropertyNames()).containsExactly(TracingConfigSource.SDK_DISABLED);
        assertThat(source.getValue("quarkus.otel.exporter.otlp.endpoint")).isNull();
    }

    @Test
    void givenABlankEndpointWhenTheSdkSwitchIsReadThenItLeavesApplicationPropertiesToDecide() {
        // given
        System.setProperty(ENDPOINT, " ");

        // then
        assertThat(source.getValue(TracingConfigSource.SDK_DISABLED)).isNull();
        assertThat(source.getProperties()).isEmpty();
        assertThat(source.getPropertyNames()).isEmpty();
    }

    @Test
    void givenTheSourceThenItRanksAboveApplicationPropertiesAndBelowEnvironmentVariables() {
        assertThat(source.getOrdinal()).isGreaterThan(250).isLessThan(300);
        assertThat(source.getName()).isEqualTo("rxon-tracing");
    }
}
