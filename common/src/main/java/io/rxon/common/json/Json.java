package io.rxon.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shared Jackson configuration for wire bodies: unknown fields ignored, no silent coercion of
 * strings into numbers (the reference rejects {@code "step":"x"}) nor of numbers or booleans into
 * strings ({@code "status": 1} is not {@code "1"}), duplicate keys refused (two parsers could read
 * a signed message differently), big integers kept exact. Fractional numbers still fill integer
 * fields because the reference sends fractional task timestamps (PROTOCOL.md §2).
 * {@link #configure} applies the same settings to a mapper a framework owns (Quarkus).
 */
public final class Json {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {}

    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a message for the wire (field order irrelevant, defaults and nulls omitted). */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes a wire body into a message type.
     *
     * @throws IllegalArgumentException with the decoder's explanation when the JSON is malformed or
     *     does not fit the type (wrong field types, missing required fields)
     */
    public static <T> T read(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to decode " + type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    public static <T> T read(String body, Class<T> type) {
        return read(body.getBytes(StandardCharsets.UTF_8), type);
    }

    public static <T> T convert(Object value, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(convertMessage(type, e), e);
        }
    }

    /** How a failed conversion into {@code type} is explained: the decoder's innermost reason. */
    public static String convertMessage(Class<?> type, Throwable error) {
        return "Failed to decode " + type.getSimpleName() + ": " + rootMessage(error);
    }

    /** Parses any JSON document into a tree, keeping integers of any size exact. */
    public static JsonNode tree(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty JSON document");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + rootMessage(e), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * The innermost explanation, without Jackson's source-location noise, followed by the JSON path
     * of the offending field when the decoder knows it ({@code field 'max_attempts'}).
     */
    private static String rootMessage(Throwable error) {
        Throwable root = error;
        String field = null;
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            root = cause;
            if (field == null && cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                field = path(mapping.getPath());
            }
        }
        String message = root instanceof JsonProcessingException processing ? processing.getOriginalMessage()
                : root.getMessage();
        return field == null ? message : message + " (field '" + field + "')";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
