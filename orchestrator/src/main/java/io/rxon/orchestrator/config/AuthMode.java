package io.rxon.orchestrator.config;

/**
 * Which credentials the orchestrator accepts ({@code RXON_AUTH_MODE}): the static tokens of the
 * embedded default and the Python reference, Keycloak (OIDC) bearer tokens, or both.
 */
public enum AuthMode {
    STATIC,
    OIDC,
    MIXED;

    public boolean acceptsStatic() {
        return this != OIDC;
    }

    public boolean acceptsOidc() {
        return this != STATIC;
    }
}
