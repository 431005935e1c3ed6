package io.rxon.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.protocol.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One request/response with the orchestrator: identity headers on every request, I/O failures
 * as {@link RxonNetworkException}, and the single re-authentication the protocol allows after a
 * 401 (refresh once, retry once with the new token). Status interpretation is delegated to
 * {@link ResponseInterpreter}.
 */
final class HttpExchange {

    /** What to send; {@code body} null sends none (and no {@code Content-Type}). */
    record Call(String method, String pathAndQuery, byte[] body, Duration timeout) {}

    private static final String CONTENT_TYPE_JSON = "application/json";

    private final HttpClient client;
    private final String baseUrl;
    private final String workerId;
    private final TokenState tokens;
    private final ResponseInterpreter interpreter;

    HttpExchange(HttpClient client, String baseUrl, String workerId, TokenState tokens,
            ResponseInterpreter interpreter) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.workerId = workerId;
        this.tokens = tokens;
        this.interpreter = interpreter;
    }

    /** The client a transport makes when the options bring none: HTTP/1.1, the options' connect timeout and TLS. */
    static HttpClient newClient(TransportOptions options) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout());
        if (options.sslContext() != null) {
            builder.sslContext(options.sslContext());
        }
        return builder.build();
    }

    /** Headers of every request and of the socket handshake (PROTOCOL.md §4.1). */
    static Map<String, String> identityHeaders(String workerId, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null && !token.isEmpty()) {
            headers.put(Protocol.HEADER_WORKER_TOKEN, token);
        }
        headers.put(Protocol.HEADER_WORKER_ID, workerId);
        headers.put(Protocol.HEADER_VERSION, Protocol.VERSION);
        return headers;
    }

    /**
     * Sends the call; on 401 asks {@code reauthenticate} once for a new token and retries with it.
     *
     * @param reauthenticate null when a 401 must not trigger a refresh (the token calls themselves)
     */
    Optional<JsonNode> send(Call call, Supplier<Optional<String>> reauthenticate) {
        HttpResponse<byte[]> response = execute(call, tokens.current());
        if (response.statusCode() == 401 && reauthenticate != null) {
            Optional<String> fresh = reauthenticate.get();
            if (fresh.isPresent()) {
                response = execute(call, fresh.get());
            }
        }
        return interpreter.interpret(response);
    }

    private HttpResponse<byte[]> execute(Call call, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + call.pathAndQuery()))
                .timeout(call.timeout());
        identityHeaders(workerId, token).forEach(request::header);
        if (call.body() == null) {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE_JSON)
                    .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RxonNetworkException(describe(call) + " timed out after " + call.timeout(), e);
        } catch (IOException e) {
            throw new RxonNetworkException(describe(call) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonNetworkException(describe(call) + " was interrupted", e);
        }
    }

    private String describe(Call call) {
        return call.method() + " " + baseUrl + call.pathAndQuery();
    }
}
