package io.rxon.common.transport;

import io.rxon.common.protocol.TokenResponse;
import java.util.Optional;

/**
 * The token the transport currently sends: one adopted from the orchestrator's token service
 * (registration answer or STS) wins over the configured {@link Credentials}. Shared by the HTTP
 * requests and the socket handshakes of one transport.
 */
final class TokenState {

    private final Credentials credentials;
    private volatile String adoptedAccessToken;
    private volatile String refreshToken;

    TokenState(Credentials credentials) {
        this.credentials = credentials;
    }

    String current() {
        String adopted = adoptedAccessToken;
        return adopted != null ? adopted : credentials.token();
    }

    Optional<String> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /** The old refresh token stays valid on the server, but the newest one is kept. */
    void adopt(TokenResponse token) {
        adoptedAccessToken = token.accessToken();
        if (token.refreshToken() != null) {
            refreshToken = token.refreshToken();
        }
    }

    Credentials credentials() {
        return credentials;
    }
}
