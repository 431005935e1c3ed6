package io.rxon.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseSettingsTest {

    @Test
    void shouldDefaultToDurableServerOnFreePortWithBinariesNextToTheData() {
        // when
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(Path.of("/srv/rxon/postgres"));

        // then
        assertThat(settings.binariesDirectory()).isEqualTo(Path.of("/srv/rxon/postgres-binaries"));
        assertThat(settings.port()).isZero();
        assertThat(settings.durable()).isTrue();
        assertThat(settings.passwordFile()).isEqualTo(Path.of("/srv/rxon/postgres.password"));
        assertThat(settings.logFile()).isEqualTo(Path.of("/srv/rxon/postgres.log"));
    }

    @Test
    void shouldResolveRelativeDirectoriesAgainstTheWorkingDirectory() {
        // when
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(Path.of("./data/postgres"));

        // then
        assertThat(settings.dataDirectory()).isAbsolute().endsWithRaw(Path.of("data", "postgres"));
        assertThat(settings.binariesDirectory()).isAbsolute().endsWithRaw(Path.of("data", "postgres-binaries"));
    }

    @Test
    void shouldRejectBinariesDirectoryThatContainsTheData() {
        // given
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(Path.of("/srv/rxon/postgres"));

        // when / then: the library sweeps its scratch directory for abandoned data directories
        assertThatThrownBy(() -> settings.withBinariesDirectory(Path.of("/srv/rxon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain one another");
        assertThatThrownBy(() -> settings.withBinariesDirectory(Path.of("/srv/rxon/postgres/bin")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectPortsAndTimeoutsOutOfRange() {
        // given
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(Path.of("/srv/rxon/postgres"));

        // when / then
        assertThatThrownBy(() -> settings.withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withStartupTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
