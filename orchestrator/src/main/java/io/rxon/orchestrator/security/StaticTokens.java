package io.rxon.orchestrator.security;

import io.quarkus.runtime.Startup;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The static tokens of the embedded default: the global worker token and the default client's
 * token come from configuration or, when unset, are generated once, stored under the data
 * directory (owner-only) and printed once, so a restart keeps them.
 */
@Startup
@ApplicationScoped
public class StaticTokens {

    private final String workerToken;
    private final String clientToken;

    public StaticTokens(OrchestratorConfig config) {
        this.workerToken = resolve(config.workerToken(), config.dataDir().resolve("worker-token"), "RXON_WORKER_TOKEN");
        this.clientToken = resolve(config.clientToken(), config.dataDir().resolve("client-token"), "RXON_CLIENT_TOKEN");
    }

    public String workerToken() {
        return workerToken;
    }

    public String clientToken() {
        return clientToken;
    }

    private static String resolve(Optional<String> configured, Path file, String variable) {
        return StoredSecrets.resolve(configured, file, variable, StoredSecrets.Disclosure.PRINT_ONCE);
    }
}
