package io.rxon.orchestrator.security;

import io.rxon.common.protocol.Protocol;
import jakarta.ws.rs.core.HttpHeaders;

/** Reads a client's credentials from a request's headers. */
public final class ClientAuthentication {

    private ClientAuthentication() {}

    public static ClientIdentity of(ClientAuthenticator authenticator, HttpHeaders headers) {
        return authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString(Protocol.HEADER_CLIENT_TOKEN));
    }
}
