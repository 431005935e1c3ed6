package io.rxon.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rxon.orchestrator.db.EmbeddedDatabase;
import io.rxon.orchestrator.db.EmbeddedDatabaseLauncher;
import io.rxon.orchestrator.db.EmbeddedDatabaseSettings;
import io.rxon.orchestrator.db.EmbeddedDatabaseSupervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real PostgreSQL for every {@code @QuarkusTest} of the module, started once per test run in a fresh
 * data directory under {@code target/embedded-postgres} and removed at the end. It exists because the
 * machines that build this project have no Docker (Dev Services are off) and the orchestrator's
 * persistence must be tested against PostgreSQL itself. Like the orchestrator's own, the server is
 * supervised: restarted on the same port when it dies ({@code DatabaseLossTest} kills it).
 *
 * <p>The annotation on this class registers it for the whole module ({@code restrictToAnnotatedClass =
 * false}: Quarkus applies such a resource to every test, wherever the annotation sits), so test classes
 * need no annotation and do not restart Quarkus because of it. {@code @WithTestResource(scope = GLOBAL)} is
 * the equivalent; {@code @QuarkusTestResource} is kept because it is not deprecated in Quarkus 3.33 (the
 * deprecation of 3.13 was withdrawn) and its global form is the long-established one.
 */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** How long a killed test database stays down before its supervisor restarts it. */
    public static final Duration RESTART_DELAY = Duration.ofSeconds(3);

    private EmbeddedDatabaseSupervisor database;
    private Path runDirectory;

    @Override
    public Map<String, String> start() {
        runDirectory = TestDirectories.newPostgresRunDirectory();
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(runDirectory.resolve("postgres"))
                .withBinariesDirectory(TestDirectories.postgresBinaries())
                .withDurable(false);
        // A long first wait before a restart lets DatabaseLossTest watch the outage it causes.
        database = EmbeddedDatabaseSupervisor.supervise(EmbeddedDatabase.start(settings), RESTART_DELAY);
        // Safety net for a JVM that ends without stop(); closing twice is harmless.
        EmbeddedDatabaseSupervisor started = database;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "rxon-test-postgres-shutdown"));
        return EmbeddedDatabaseLauncher.datasourceProperties(database.database());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (runDirectory != null) {
            deleteRecursively(runDirectory);
            runDirectory = null;
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the test database directory " + directory, e);
        }
    }
}
