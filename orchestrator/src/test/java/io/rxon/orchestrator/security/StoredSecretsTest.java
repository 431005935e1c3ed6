package io.rxon.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated secrets (tokens, the webhook key) survive restarts and stay readable by the owner only. */
class StoredSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldGenerateAnUnsetSecretOnceStoreItOwnerOnlyAndReadItBackAfterARestart() throws IOException {
        // given no configured value and an empty data directory
        Path file = dataDir.resolve("webhook-secret");

        // when the secret is resolved twice (a start and a restart)
        String first = StoredSecrets.resolve(Optional.empty(), file, "RXON_WEBHOOK_SECRET",
                StoredSecrets.Disclosure.FILE_ONLY);
        String second = StoredSecrets.resolve(Optional.of(" "), file, "RXON_WEBHOOK_SECRET",
                StoredSecrets.Disclosure.FILE_ONLY);

        // then one random 256-bit value was stored, owner-only, and read back
        assertThat(first).hasSize(43).isEqualTo(second);
        assertThat(Files.readString(file).trim()).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void shouldPreferTheConfiguredValueAndWriteNothing() {
        Path file = dataDir.resolve("webhook-secret");

        String secret = StoredSecrets.resolve(Optional.of("from-the-environment"), file, "RXON_WEBHOOK_SECRET",
                StoredSecrets.Disclosure.FILE_ONLY);

        assertThat(secret).isEqualTo("from-the-environment");
        assertThat(file).doesNotExist();
    }
}
