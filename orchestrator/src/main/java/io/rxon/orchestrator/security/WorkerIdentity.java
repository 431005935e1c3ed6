package io.rxon.orchestrator.security;

/**
 * Who a worker request comes from, once its credentials are checked, and the secret its messages
 * are signed with (its own token, else the global token).
 */
public record WorkerIdentity(String workerId, String signingSecret) {

    @Override
    public String toString() {
        return "WorkerIdentity[" + workerId + "]";
    }
}
