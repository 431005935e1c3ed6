package io.rxon.common.transport;

import static io.rxon.common.transport.JsonReplies.decode;
import static io.rxon.common.transport.JsonReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TokenResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a transport comes by a new access token (PROTOCOL.md §5.3): adopting one the registration
 * answer carries, asking the orchestrator's token service, and choosing between the credentials'
 * own refresh and that service after a 401. Kept apart from the calls so that every call, and the
 * socket handshakes, share one {@link TokenState}.
 */
final class TokenRenewal {

    /** Logs under the transport's name, the category operators already filter on. */
    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());

    private final HttpExchange exchange;
    private final TokenState tokens;
    private final String workerId;
    private final Duration requestTimeout;

    TokenRenewal(HttpExchange exchange, TokenState tokens, String workerId, Duration requestTimeout) {
        this.exchange = exchange;
        this.tokens = tokens;
        this.workerId = workerId;
        this.requestTimeout = requestTimeout;
    }

    /** Adopts the token a registration answer carries, if any; the orchestrator may issue one there. */
    Optional<TokenResponse> adoptIssued(JsonNode body) {
        String accessToken = text(body, "access_token");
        if (accessToken == null) {
            return Optional.empty();
        }
        String owner = Optional.ofNullable(text(body, "worker_id")).orElse(workerId);
        TokenResponse token = new TokenResponse(accessToken, body.path("expires_in").asLong(0), owner,
                text(body, "refresh_token"), null);
        tokens.adopt(token);
        LOG.log(Level.INFO, "Adopted the access token issued at registration");
        return Optional.of(token);
    }

    /**
     * The refresh endpoint when a refresh token is held, else the issue endpoint; a 200 answer is
     * adopted. Never throws: a failed refresh leaves the token as it was. Synchronized so that
     * calls failing with 401 at once do not each spend the refresh token.
     */
    synchronized Optional<TokenResponse> refresh() {
        Optional<String> refresh = tokens.refreshToken();
        try {
            HttpExchange.Call call = refresh
                    .map(value -> new HttpExchange.Call("POST", Protocol.PATH_TOKEN_REFRESH,
                            Json.write(Map.of("refresh_token", value)), requestTimeout))
                    .orElseGet(() -> new HttpExchange.Call("POST", Protocol.PATH_TOKEN, null, requestTimeout));
            Optional<TokenResponse> token = exchange.send(call, null)
                    .map(node -> decode(node, TokenResponse.class, "token response"));
            token.ifPresent(tokens::adopt);
            LOG.log(Level.INFO, token.isPresent() ? "Worker token refreshed" : "Token service answered no token");
            return token;
        } catch (RxonException e) {
            LOG.log(Level.WARNING, "Token refresh failed: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    /** After a 401: the credentials' own refresh (e.g. OIDC) first, else the orchestrator's token service. */
    Optional<String> reauthenticate() {
        Optional<String> external;
        try {
            external = tokens.credentials().refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Credentials refresh failed: {0}", e.getMessage());
            external = Optional.empty();
        }
        return external.isPresent() ? external : refresh().map(TokenResponse::accessToken);
    }
}
