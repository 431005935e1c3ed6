package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Workflow errors: the DSL's error object ({@code type}, {@code status}, {@code title},
 * {@code detail}). A failed step's error carries the RXON error code as its {@code type} (and
 * {@code code}), which is what {@code catch.errors.with.type} matches.
 */
final class Errors {

    private Errors() {}

    static ObjectNode of(String code, int status, String detail) {
        ObjectNode error = Expressions.MAPPER.createObjectNode();
        error.put("type", code);
        error.put("code", code);
        error.put("status", status);
        error.put("title", code);
        error.put("detail", detail == null ? "" : detail);
        return error;
    }

    /** A job's stored error ({@code code}, {@code message}) as a workflow error. */
    static ObjectNode ofJob(Map<String, Object> jobError, String fallbackCode, String fallbackDetail) {
        if (jobError == null) {
            return of(fallbackCode, 500, fallbackDetail);
        }
        Object code = jobError.getOrDefault("code", jobError.get("type"));
        Object message = jobError.getOrDefault("message", jobError.get("detail"));
        return of(code == null ? fallbackCode : code.toString(), 500, message == null ? fallbackDetail : message.toString());
    }

    /** Whether {@code error} matches a catch filter ({@code catch.errors.with}): every field given must be equal. */
    static boolean matches(JsonNode with, JsonNode error) {
        if (with == null || with.isMissingNode() || !with.isObject()) {
            return true;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = with.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String wanted = field.getValue().asText();
            String actual = error.path(field.getKey()).asText();
            boolean typeMatches = "type".equals(field.getKey())
                    && (wanted.equals(error.path("code").asText()) || actual.endsWith("/" + wanted));
            if (!wanted.equals(actual) && !typeMatches) {
                return false;
            }
        }
        return true;
    }
}
