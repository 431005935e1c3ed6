package io.rxon.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;

/**
 * Reading the orchestrator's JSON answers the way the Python reference client does: lenient about
 * fields it does not need, strict about the shape of the ones it decodes.
 */
final class JsonReplies {

    private JsonReplies() {}

    /** An answer that is not an object, or does not fit {@code type}, is a protocol error, never a crash. */
    static <T> T decode(JsonNode node, Class<T> type, String what) {
        if (!node.isObject()) {
            throw new RxonProtocolException("Unexpected " + what + ": not a JSON object", 200);
        }
        try {
            return Json.convert(node, type);
        } catch (IllegalArgumentException e) {
            throw new RxonProtocolException("Invalid " + what + ": " + e.getMessage(), ErrorCode.TRANSIENT_ERROR,
                    200, e);
        }
    }

    /** The reference client treats any falsy JSON ({@code {}}, {@code []}, {@code false}, ...) as "no task". */
    static boolean isFalsy(JsonNode node) {
        if (node.isContainerNode()) {
            return node.isEmpty();
        }
        if (node.isBoolean()) {
            return !node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() == 0;
        }
        return node.isTextual() && node.textValue().isEmpty();
    }

    /** A text field, or null when it is absent or not text (optional fields never fail a call). */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
