package io.rxon.worker.skill;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link SkillInfo} without its ten positional arguments. Schemas may be given as maps or
 * as JSON text (a Java text block reads well):
 *
 * <pre>{@code
 * SkillDescriptor.builder("resize")
 *     .description("Resizes an image")
 *     .inputSchema("""
 *         {"type": "object", "required": ["width"], "properties": {"width": {"type": "integer", "minimum": 1}}}
 *         """)
 *     .event("stage", """{"type": "object", "required": ["name"]}""")
 *     .build();
 * }</pre>
 */
public final class SkillDescriptor {

    private final String name;
    private String type;
    private String description;
    private String version;
    private Map<String, Object> inputSchema;
    private Map<String, Object> outputSchema;
    private final Map<String, Object> eventsSchema = new LinkedHashMap<>();
    private final List<String> outputStatuses = new ArrayList<>();
    private String schemaDialect;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    private SkillDescriptor(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @param name the skill name, equal to the task {@code type} it serves */
    public static SkillDescriptor builder(String name) {
        return new SkillDescriptor(name);
    }

    /** Category or concurrency class of the skill ({@code SkillInfo.type}). */
    public SkillDescriptor type(String value) {
        type = value;
        return this;
    }

    public SkillDescriptor description(String value) {
        description = value;
        return this;
    }

    public SkillDescriptor version(String value) {
        version = value;
        return this;
    }

    /** JSON Schema of the task params. */
    public SkillDescriptor inputSchema(Map<String, Object> schema) {
        inputSchema = schema;
        return this;
    }

    public SkillDescriptor inputSchema(String schemaJson) {
        return inputSchema(parse(schemaJson, "input schema"));
    }

    /** JSON Schema of the result data; a result that violates it is a {@code CONTRACT_VIOLATION_ERROR}. */
    public SkillDescriptor outputSchema(Map<String, Object> schema) {
        outputSchema = schema;
        return this;
    }

    public SkillDescriptor outputSchema(String schemaJson) {
        return outputSchema(parse(schemaJson, "output schema"));
    }

    /** Declares a custom event type the skill may {@link SkillContext#emit} and its payload schema. */
    public SkillDescriptor event(String eventType, Map<String, Object> payloadSchema) {
        eventsSchema.put(Objects.requireNonNull(eventType, "eventType"), payloadSchema);
        return this;
    }

    public SkillDescriptor event(String eventType, String payloadSchemaJson) {
        return event(eventType, parse(payloadSchemaJson, "schema of event " + eventType));
    }

    /** Custom result statuses the skill may return (for blueprint transitions). */
    public SkillDescriptor outputStatuses(String... statuses) {
        outputStatuses.addAll(List.of(statuses));
        return this;
    }

    /** Anything but {@code json-schema} turns off validation on both sides. */
    public SkillDescriptor schemaDialect(String value) {
        schemaDialect = value;
        return this;
    }

    /** Free metadata used in matching and pricing ({@code price}, {@code category}…). */
    public SkillDescriptor property(String key, Object value) {
        properties.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    public SkillInfo build() {
        return new SkillInfo(name, type, description, version, inputSchema, outputSchema,
                eventsSchema.isEmpty() ? null : eventsSchema, outputStatuses.isEmpty() ? null : outputStatuses,
                schemaDialect, properties.isEmpty() ? null : properties);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json, String what) {
        try {
            return Json.read(json, Map.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not a JSON object: " + e.getMessage(), e);
        }
    }
}
