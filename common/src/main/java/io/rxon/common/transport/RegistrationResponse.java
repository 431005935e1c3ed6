package io.rxon.common.transport;

import io.rxon.common.protocol.TokenResponse;
import java.util.Optional;

/**
 * The orchestrator's answer to a registration: {@code registered}, the protocol version it speaks,
 * a warning when versions differ, and possibly a token pair that the transport has already
 * adopted for the following requests.
 *
 * @param issuedToken the token the body carried ({@code access_token} ...), or null
 */
public record RegistrationResponse(String status, String version, String warning, TokenResponse issuedToken) {

    public Optional<String> warningText() {
        return Optional.ofNullable(warning);
    }

    public Optional<TokenResponse> token() {
        return Optional.ofNullable(issuedToken);
    }
}
