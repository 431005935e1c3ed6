package io.rxon.orchestrator.security;

import io.rxon.common.protocol.Protocol;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;

/** Reads a client's credentials from a request's headers and checks its role. */
public final class ClientAuthentication {

    private ClientAuthentication() {}

    /** A client allowed to use the jobs API, within its rate limit. */
    public static Uni<ClientIdentity> client(ClientAuthenticator authenticator, HttpHeaders headers) {
        return of(authenticator, headers).map(ClientIdentity::requireClient)
                .invoke(client -> authenticator.limiter().check(client.clientId(), RateLimiter.Action.API));
    }

    /** An administrator. */
    public static Uni<ClientIdentity> admin(ClientAuthenticator authenticator, HttpHeaders headers) {
        return of(authenticator, headers).map(ClientIdentity::requireAdmin);
    }

    private static Uni<ClientIdentity> of(ClientAuthenticator authenticator, HttpHeaders headers) {
        return authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString(Protocol.HEADER_CLIENT_TOKEN));
    }
}
