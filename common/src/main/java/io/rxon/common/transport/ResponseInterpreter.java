package io.rxon.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The client half of PROTOCOL.md §4.2 in one place: turns an orchestrator response into its JSON
 * body or into the exception the status means. A 401 arrives here only once re-authentication
 * has been tried (or is not allowed for the call).
 */
final class ResponseInterpreter {

    private static final int MAX_TEXT = 300;

    private final Clock clock;
    private final VersionCheck versionCheck;

    ResponseInterpreter(Clock clock, VersionCheck versionCheck) {
        this.clock = clock;
        this.versionCheck = versionCheck;
    }

    /**
     * @return the JSON body; empty for 204, an empty body or JSON {@code null}
     */
    Optional<JsonNode> interpret(HttpResponse<byte[]> response) {
        versionCheck.observe(response.headers().firstValue(Protocol.HEADER_VERSION));
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return body(response);
        }
        throw failure(response);
    }

    private Optional<JsonNode> body(HttpResponse<byte[]> response) {
        byte[] bytes = response.body();
        if (response.statusCode() == 204 || bytes == null || text(bytes).isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.tree(bytes);
            return node.isNull() ? Optional.empty() : Optional.of(node);
        } catch (IllegalArgumentException e) {
            throw new RxonProtocolException("Response is not a valid JSON: " + abbreviate(text(bytes)),
                    ErrorCode.TRANSIENT_ERROR, response.statusCode(), e);
        }
    }

    private RxonException failure(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String text = text(response.body());
        Optional<JsonNode> json = parseQuietly(response.body());
        return switch (status) {
            case 401 -> new RxonAuthException("Unauthorized: " + errorText(json, text, "no valid credentials"), 401);
            case 403 -> new RxonAuthException(errorText(json, text, "Forbidden"), 403);
            case 429 -> new RxonRateLimitException(
                    errorText(json, text, "Rate limit exceeded"),
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock).orElse(null),
                    json.map(node -> node.path("code")).filter(JsonNode::isTextual).map(JsonNode::textValue)
                            .orElse(null));
            default -> new RxonProtocolException("HTTP " + status + ": " + abbreviate(text), status);
        };
    }

    private static String errorText(Optional<JsonNode> json, String rawText, String fallback) {
        Optional<String> error = json.map(node -> node.path("error")).filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
        if (error.isPresent()) {
            return error.get();
        }
        return rawText.isBlank() ? fallback : abbreviate(rawText);
    }

    private static Optional<JsonNode> parseQuietly(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.tree(body));
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
    }

    private static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String single = text.strip();
        return single.length() > MAX_TEXT ? single.substring(0, MAX_TEXT) + "…" : single;
    }
}
