package io.rxon.orchestrator.db;

import static io.rxon.orchestrator.db.TestDatabases.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddedDatabaseLauncherTest {

    private static final Map<String, String> NOTHING = Map.of();

    @TempDir
    Path temp;

    @Test
    void shouldStartEmbeddedDatabaseUnderDefaultDataDirectoryWhenNothingIsConfigured() {
        // when
        LaunchDecision decision = EmbeddedDatabaseLauncher.decide(NOTHING, NOTHING);

        // then
        assertThat(decision).isEqualTo(new LaunchDecision.StartEmbedded(Path.of("./data/postgres")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "QUARKUS_DATASOURCE_REACTIVE_URL, environment variable QUARKUS_DATASOURCE_REACTIVE_URL",
        "QUARKUS_DATASOURCE_JDBC_URL,     environment variable QUARKUS_DATASOURCE_JDBC_URL",
    })
    void shouldUseExternalDatabaseWhenEnvironmentConfiguresAUrl(String variable, String configuredBy) {
        // given
        Map<String, String> environment = Map.of(variable, "postgresql://db.example:5432/rxon");

        // when
        LaunchDecision decision = EmbeddedDatabaseLauncher.decide(environment, NOTHING);

        // then
        assertThat(decision).isEqualTo(new LaunchDecision.UseExternal(configuredBy));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "quarkus.datasource.reactive.url, system property quarkus.datasource.reactive.url",
        "quarkus.datasource.jdbc.url,     system property quarkus.datasource.jdbc.url",
    })
    void shouldUseExternalDatabaseWhenSystemPropertyConfiguresAUrl(String property, String configuredBy) {
        // given
        Map<String, String> systemProperties = Map.of(property, "jdbc:postgresql://db.example:5432/rxon");

        // when
        LaunchDecision decision = EmbeddedDatabaseLauncher.decide(NOTHING, systemProperties);

        // then
        assertThat(decision).isEqualTo(new LaunchDecision.UseExternal(configuredBy));
    }

    @Test
    void shouldIgnoreBlankUrls() {
        // given
        Map<String, String> environment = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", " ");
        Map<String, String> systemProperties = Map.of("quarkus.datasource.jdbc.url", "");

        // when
        LaunchDecision decision = EmbeddedDatabaseLauncher.decide(environment, systemProperties);

        // then
        assertThat(decision).isInstanceOf(LaunchDecision.StartEmbedded.class);
    }

    @Test
    void shouldTakeDataDirectoryFromRxonDataDir() {
        // given
        Map<String, String> environment = Map.of("RXON_DATA_DIR", "/var/lib/rxon");

        // when
        LaunchDecision decision = EmbeddedDatabaseLauncher.decide(environment, NOTHING);

        // then
        assertThat(decision).isEqualTo(new LaunchDecision.StartEmbedded(Path.of("/var/lib/rxon/postgres")));
    }

    @Test
    void shouldPreferTheConfigurationKeyOfTheDataDirectoryLikeQuarkusDoes() {
        // given
        Map<String, String> environment = Map.of("RXON_DATA_DIR", "/short", "RXON_ORCHESTRATOR_DATA_DIR", "/long");
        Map<String, String> systemProperties = Map.of("rxon.orchestrator.data-dir", "/property");

        // when
        LaunchDecision fromProperty = EmbeddedDatabaseLauncher.decide(environment, systemProperties);
        LaunchDecision fromEnvironment = EmbeddedDatabaseLauncher.decide(environment, NOTHING);

        // then
        assertThat(fromProperty).isEqualTo(new LaunchDecision.StartEmbedded(Path.of("/property/postgres")));
        assertThat(fromEnvironment).isEqualTo(new LaunchDecision.StartEmbedded(Path.of("/long/postgres")));
    }

    @Test
    void shouldDeriveEnvironmentVariableNamesLikeMicroProfileConfig() {
        assertThat(EmbeddedDatabaseLauncher.environmentName("quarkus.datasource.reactive.url"))
                .isEqualTo("QUARKUS_DATASOURCE_REACTIVE_URL");
    }

    @Test
    void shouldPublishTheFourDatasourcePropertiesOfTheEmbeddedDatabase() {
        // given
        try (EmbeddedDatabase database = EmbeddedDatabase.start(settings(temp.resolve("postgres")))) {

            // when
            Map<String, String> properties = EmbeddedDatabaseLauncher.datasourceProperties(database);

            // then
            assertThat(properties).containsOnly(
                    Map.entry("quarkus.datasource.reactive.url", database.reactiveUrl()),
                    Map.entry("quarkus.datasource.jdbc.url", database.jdbcUrl()),
                    Map.entry("quarkus.datasource.username", "rxon"),
                    Map.entry("quarkus.datasource.password", database.password()));
        }
    }
}
