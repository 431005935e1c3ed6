package io.rxon.orchestrator.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rxon.common.json.Json;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;
import java.util.Locale;

/**
 * Reads the JSON body of a request at the edge, the same way on every endpoint: a JSON media
 * type (or none), a non-empty body, well-formed JSON without duplicate keys, an object (not
 * {@code null}, not an array), and, where asked, only content PostgreSQL can store. Every
 * refusal is an {@link InvalidRequestException} (400 {@code INVALID_INPUT_ERROR}) saying what is wrong.
 */
public final class JsonBodies {

    /**
     * The client API's stricter decoder: a fraction in an integer field ({@code max_attempts: 2.5})
     * is refused rather than truncated. Worker messages keep the wire mapper, which must accept the
     * reference's fractional timestamps.
     */
    private static final ObjectMapper STRICT = Json.mapper().copy().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private JsonBodies() {}

    /** The body as a JSON object; its content may still be unstorable (see {@link #storable}). */
    public static JsonNode object(byte[] body, String contentType) {
        requireJsonMediaType(contentType);
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = Json.tree(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** The body as a JSON object whose every value can be stored. */
    public static JsonNode storableObject(byte[] body, String contentType) {
        return storable(object(body, contentType));
    }

    /** {@code node} itself, when every value in it can be stored. */
    public static JsonNode storable(JsonNode node) {
        StorableJson.problem(node, "").ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        return node;
    }

    /** Decodes a client request strictly (integers must be integers). */
    public static <T> T decodeStrict(JsonNode node, Class<T> type) {
        try {
            return STRICT.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(Json.convertMessage(type, e), e);
        }
    }

    /** Decodes a worker message with the wire mapper. */
    public static <T> T decode(JsonNode node, Class<T> type) {
        try {
            return Json.convert(node, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    /**
     * A body must be declared as JSON ({@code application/json} or {@code application/*+json}) or not
     * declared at all: a {@code text/plain} or form body is refused instead of being read as JSON.
     */
    static void requireJsonMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new InvalidRequestException("Content-Type must be application/json, got '"
                    + StorableJson.printable(type) + "'");
        }
    }
}
