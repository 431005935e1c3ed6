package io.rxon.orchestrator.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The static tokens of the embedded default: the global worker token and the default client's
 * token come from configuration or, when unset, are generated once, stored under the data
 * directory (owner-only) and printed once, so a restart keeps them.
 */
@Startup
@ApplicationScoped
public class StaticTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

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
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get();
        }
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String token = generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            restrictToOwner(file);
            Log.infof("%s was not set; generated one and stored it in %s: %s", variable, file, token);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or store " + variable + " in " + file, e);
        }
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            Log.debugf("no POSIX permissions on %s", file);
        }
    }
}
