package io.rxon.orchestrator.security;

/**
 * Who a worker request comes from, once its credentials are checked. A static-token worker signs
 * with a shared secret (its own token, else the global token); a Keycloak worker has no shared
 * secret (it must sign with its registered Ed25519 key) and a token that expires.
 *
 * @param signingSecret the HMAC secret, or {@code null} for OIDC identities
 * @param expiresAt epoch seconds when the credential expires, or {@code null} for static tokens
 */
public record WorkerIdentity(String workerId, String signingSecret, Long expiresAt) {

    public static WorkerIdentity ofStatic(String workerId, String secret) {
        return new WorkerIdentity(workerId, secret, null);
    }

    public boolean isOidc() {
        return signingSecret == null;
    }

    @Override
    public String toString() {
        return "WorkerIdentity[" + workerId + (isOidc() ? ", oidc" : ", static") + "]";
    }
}
