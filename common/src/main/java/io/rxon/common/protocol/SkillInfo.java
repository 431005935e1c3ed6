package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A skill a worker offers: its name (equal to the task {@code type} it serves), category, version
 * and the JSON Schemas of its input, output and custom events.
 */
@WireMessage
public record SkillInfo(
        String name,
        String type,
        String description,
        String version,
        Map<String, Object> inputSchema,
        Map<String, Object> outputSchema,
        Map<String, Object> eventsSchema,
        List<String> outputStatuses,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitJsonSchemaDialect.class)
                String schemaDialect,
        Map<String, Object> properties)
        implements Comparable<SkillInfo> {

    public static final String DEFAULT_SCHEMA_DIALECT = "json-schema";

    public SkillInfo {
        Wire.required(name, "name");
        inputSchema = Wire.map(inputSchema);
        outputSchema = Wire.map(outputSchema);
        eventsSchema = Wire.map(eventsSchema);
        outputStatuses = Wire.list(outputStatuses);
        schemaDialect = Wire.orDefault(schemaDialect, DEFAULT_SCHEMA_DIALECT);
        properties = Wire.map(properties);
    }

    public static SkillInfo named(String name) {
        return new SkillInfo(name, null, null, null, null, null, null, null, null, null);
    }

    /** Whether the platform validates payloads against the declared schemas (only for JSON Schema). */
    public boolean usesJsonSchema() {
        return DEFAULT_SCHEMA_DIALECT.equals(schemaDialect);
    }

    @Override
    public int compareTo(SkillInfo other) {
        return name.compareTo(other.name);
    }
}
