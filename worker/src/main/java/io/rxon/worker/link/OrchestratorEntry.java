package io.rxon.worker.link;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One orchestrator of {@code RXON_ORCHESTRATORS}.
 *
 * @param url {@code http(s)://}, {@code ws(s)://} or {@code mock://}, as {@code RXON_ORCHESTRATOR_URL}
 * @param priority lower is asked first (the reference's order); default 10
 * @param weight share of the polls in {@code round-robin} mode, at least 1; default 1
 * @param token this orchestrator's worker token; empty means {@code RXON_WORKER_TOKEN}
 * @param oidc a Keycloak client for this orchestrator instead of a token
 */
public record OrchestratorEntry(String url, int priority, int weight, Optional<String> token, Optional<Oidc> oidc) {

    public static final int DEFAULT_PRIORITY = 10;
    public static final int DEFAULT_WEIGHT = 1;

    public OrchestratorEntry {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(oidc, "oidc");
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
    }

    /** The single orchestrator of {@code RXON_ORCHESTRATOR_URL}. */
    public static OrchestratorEntry of(String url) {
        return new OrchestratorEntry(url, DEFAULT_PRIORITY, DEFAULT_WEIGHT, Optional.empty(), Optional.empty());
    }

    /** A client-credentials grant at {@code tokenUrl}, as {@code RXON_OIDC_*} for one orchestrator. */
    public record Oidc(URI tokenUrl, String clientId, String clientSecret) {
        public Oidc {
            Objects.requireNonNull(tokenUrl, "token_url");
            Objects.requireNonNull(clientId, "client_id");
            Objects.requireNonNull(clientSecret, "client_secret");
        }
    }
}
