package io.rxon.common.transport;

import java.util.Optional;

/**
 * Where the transport gets the token it sends as {@code X-Worker-Token}. A static token covers
 * the reference deployments; an OIDC integration implements this to hand out a cached access
 * token and to fetch a fresh one when the orchestrator answers 401. Tokens adopted from the
 * orchestrator's own token service (STS) take precedence over {@link #token()}.
 */
@FunctionalInterface
public interface Credentials {

    /** The token to send now; asked before every request and socket handshake. Null sends none. */
    String token();

    /**
     * Obtains a new token after a 401, from outside RXON (e.g. an identity provider). Empty (the
     * default) lets the transport fall back to the orchestrator's token service.
     */
    default Optional<String> refresh() {
        return Optional.empty();
    }

    /** A fixed token, as configured for reference workers. */
    static Credentials ofToken(String token) {
        return () -> token;
    }
}
