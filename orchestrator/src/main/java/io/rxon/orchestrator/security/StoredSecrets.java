package io.rxon.orchestrator.security;

import io.quarkus.logging.Log;
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
 * Secrets of the embedded default (tokens, the webhook signing secret): the configured value, or
 * one generated once and stored owner-only under the data directory, so a restart keeps it.
 */
public final class StoredSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StoredSecrets() {}

    /** Whether a freshly generated value is printed (tokens people paste into clients) or only its file named. */
    public enum Disclosure { PRINT_ONCE, FILE_ONLY }

    /** The configured value when set, else the one stored in {@code file}, else a new one stored there. */
    public static String resolve(Optional<String> configured, Path file, String variable, Disclosure disclosure) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get();
        }
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String secret = generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            restrictToOwner(file);
            if (disclosure == Disclosure.PRINT_ONCE) {
                Log.infof("%s was not set; generated one and stored it in %s: %s", variable, file, secret);
            } else {
                Log.infof("%s was not set; generated one and stored it in %s", variable, file);
            }
            return secret;
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
