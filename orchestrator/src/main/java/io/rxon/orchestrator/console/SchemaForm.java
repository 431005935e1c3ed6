package io.rxon.orchestrator.console;

import io.quarkus.qute.TemplateData;
import io.rxon.common.json.Json;
import io.rxon.orchestrator.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A submit form built from a skill's {@code input_schema} (JSON Schema): one field per top-level
 * property (text, number, whole number, checkbox, choice from an {@code enum}, or JSON for objects
 * and arrays), and back from the posted fields to a job's {@code params}. The worker validates the
 * params against its schema; this only shapes them.
 */
public final class SchemaForm {

    /** Form fields carry this prefix, so a property can never clash with the form's own fields. */
    public static final String PREFIX = "param.";

    /** One input; {@code kind} is text, number, integer, boolean, choice or json. */
    @TemplateData
    public record Field(String name, String kind, boolean required, List<String> options, String defaultValue,
            String description) {

        public String inputName() {
            return PREFIX + name;
        }
    }

    private SchemaForm() {}

    @SuppressWarnings("unchecked")
    public static List<Field> fields(Map<String, Object> schema) {
        if (schema == null || !(schema.get("properties") instanceof Map<?, ?> properties)) {
            return List.of();
        }
        Set<Object> required = schema.get("required") instanceof List<?> names ? Set.copyOf(names) : Set.of();
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<?, ?> property : properties.entrySet()) {
            Map<String, Object> spec = property.getValue() instanceof Map<?, ?> map ? (Map<String, Object>) map
                    : Map.of();
            String name = String.valueOf(property.getKey());
            List<String> options = spec.get("enum") instanceof List<?> values
                    ? values.stream().map(String::valueOf).toList() : List.of();
            Object fallback = spec.get("default");
            fields.add(new Field(name, options.isEmpty() ? kind(spec.get("type")) : "choice", required.contains(name),
                    options, fallback == null ? "" : fallback instanceof String text ? text : Json.writeString(fallback),
                    spec.get("description") == null ? "" : String.valueOf(spec.get("description"))));
        }
        return fields;
    }

    private static String kind(Object type) {
        return switch (String.valueOf(type)) {
            case "number" -> "number";
            case "integer" -> "integer";
            case "boolean" -> "boolean";
            case "object", "array" -> "json";
            default -> "text";
        };
    }

    /** The params the posted fields describe; empty optional fields are left out. */
    public static Map<String, Object> params(List<Field> fields, Function<String, String> posted) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Field field : fields) {
            String value = posted.apply(field.inputName());
            if ("boolean".equals(field.kind())) {
                params.put(field.name(), "true".equals(value));
                continue;
            }
            if (value == null || value.isBlank()) {
                if (field.required()) {
                    throw new InvalidRequestException(field.name() + " is required");
                }
                continue;
            }
            params.put(field.name(), value(field, value.trim()));
        }
        return params;
    }

    private static Object value(Field field, String text) {
        try {
            return switch (field.kind()) {
                case "number" -> Double.parseDouble(text);
                case "integer" -> Long.parseLong(text);
                case "json" -> Json.read(text, Object.class);
                default -> text;
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field.name() + " must be " + switch (field.kind()) {
                case "number" -> "a number";
                case "integer" -> "a whole number";
                default -> "JSON";
            }, e);
        }
    }
}
