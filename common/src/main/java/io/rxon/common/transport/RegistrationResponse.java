package io.rxon.common.transport;

import io.rxon.common.protocol.TokenResponse;
import java.util.Optional;

/**
 * The orchestrator's answer to a registration: {@code registered}, the protocol version it speaks,
 * a warning when versions differ, and possibly a token pair that the transport has already
 * adopted for the following requests, and whether the orchestrator offers push dispatch.
 *
 * @param issuedToken the token the body carried ({@code access_token} ...), or null
 * @param pushDispatch the answer said {@code "push_dispatch": true} (docs/PUSH_DISPATCH.md): only an
 *     rxon-java orchestrator answering a registration that asked for it does; a reference
 *     orchestrator never does, so its workers stay on long-poll
 */
public record RegistrationResponse(String status, String version, String warning, TokenResponse issuedToken,
        boolean pushDispatch) {

    public Optional<String> warningText() {
        return Optional.ofNullable(warning);
    }

    public Optional<TokenResponse> token() {
        return Optional.ofNullable(issuedToken);
    }
}
