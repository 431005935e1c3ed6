package io.rxon.orchestrator.security;

import io.rxon.orchestrator.error.ForbiddenActionException;

/** An authenticated API client; jobs belong to the client that submitted them. */
public record ClientIdentity(String clientId, boolean client, boolean admin) {

    /** Jobs API: role {@code rxon-client}. */
    public ClientIdentity requireClient() {
        if (!client) {
            throw new ForbiddenActionException("'" + clientId + "' lacks the role " + OidcIdentity.ROLE_CLIENT);
        }
        return this;
    }

    /** Workers list and administration: role {@code rxon-admin}. */
    public ClientIdentity requireAdmin() {
        if (!admin) {
            throw new ForbiddenActionException("'" + clientId + "' lacks the role " + OidcIdentity.ROLE_ADMIN);
        }
        return this;
    }
}
