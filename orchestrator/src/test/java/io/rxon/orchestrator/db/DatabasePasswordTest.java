package io.rxon.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasePasswordTest {

    @TempDir
    Path temp;

    @Test
    void shouldGenerateAPasswordReadableOnlyByItsOwnerAndReadItBackLater() throws IOException {
        // given
        Path file = temp.resolve("postgres.password");

        // when
        String generated = DatabasePassword.loadOrCreate(file, false);
        String readBack = DatabasePassword.loadOrCreate(file, true);

        // then
        assertThat(generated).matches("[A-Za-z0-9]{32}");
        assertThat(readBack).isEqualTo(generated);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void shouldRefuseToInventAPasswordForAnExistingDataDirectory() {
        // given
        Path file = temp.resolve("postgres.password");

        // when / then
        assertThatThrownBy(() -> DatabasePassword.loadOrCreate(file, true))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("password file " + file + " is missing");
    }

    @Test
    void shouldRejectAFileThatHoldsNoUsablePassword() throws IOException {
        // given
        Path file = Files.writeString(temp.resolve("postgres.password"), "x' OR 1=1");

        // when / then
        assertThatThrownBy(() -> DatabasePassword.loadOrCreate(file, true))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("16 to 128 letters and digits");
    }
}
