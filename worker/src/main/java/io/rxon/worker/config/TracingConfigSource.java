package io.rxon.worker.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Switches the OpenTelemetry SDK on exactly when {@code RXON_OTLP_ENDPOINT} is set, so tracing is
 * one variable and off by default ({@code quarkus.otel.sdk.disabled} is a run-time property). Its
 * ordinal sits above {@code application.properties} and below environment variables and system
 * properties, so {@code QUARKUS_OTEL_SDK_DISABLED} still decides when given.
 */
public class TracingConfigSource implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public Set<String> getPropertyNames() {
        return endpointSet() ? Set.of(SDK_DISABLED) : Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return SDK_DISABLED.equals(propertyName) && endpointSet() ? "false" : null;
    }

    @Override
    public Map<String, String> getProperties() {
        return endpointSet() ? Map.of(SDK_DISABLED, "false") : Map.of();
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "rxon-tracing";
    }

    private static boolean endpointSet() {
        String endpoint = System.getProperty("rxon.otlp.endpoint", System.getenv("RXON_OTLP_ENDPOINT"));
        return endpoint != null && !endpoint.isBlank();
    }
}
