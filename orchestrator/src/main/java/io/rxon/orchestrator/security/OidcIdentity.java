package io.rxon.orchestrator.security;

import java.util.Set;

/**
 * What a verified Keycloak access token says: the client it was issued to ({@code azp}), the
 * principal, the realm roles and when it expires (epoch seconds).
 */
public record OidcIdentity(String clientId, String principal, Set<String> roles, long expiresAt) {

    public static final String ROLE_CLIENT = "rxon-client";
    public static final String ROLE_WORKER = "rxon-worker";
    public static final String ROLE_ADMIN = "rxon-admin";

    public OidcIdentity {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
