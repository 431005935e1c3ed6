package io.rxon.orchestrator.db;

import static io.rxon.orchestrator.db.TestDatabases.connect;
import static io.rxon.orchestrator.db.TestDatabases.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kill -9} of the orchestrator leaves behind must not prevent the next start. */
class KilledRunRecoveryTest {

    private static final Duration CHILD_START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void shouldStopServerOrphanedByKilledRunAndKeepItsData() throws Exception {
        // given a previous run, killed with SIGKILL, whose server is still running
        EmbeddedDatabaseSettings settings = settings(temp.resolve("postgres"));
        Process previousRun = startChildJvm(settings);
        try {
            awaitReady(previousRun);
        } finally {
            previousRun.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long orphanPid = StalePostmasterGuard.readPid(settings.dataDirectory().resolve(StalePostmasterGuard.PID_FILE))
                .orElseThrow();
        Optional<ProcessHandle> orphan = ProcessHandle.of(orphanPid);
        assertThat(orphan).as("orphaned postmaster").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        // when
        try (EmbeddedDatabase database = EmbeddedDatabase.start(settings);
                Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_database()")) {

            // then
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("rxon");
            assertThat(StalePostmasterGuard.isPostmasterOf(orphan.get(), settings.dataDirectory())).isFalse();
        }
    }

    private static Process startChildJvm(EmbeddedDatabaseSettings settings) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OrphanedServerMain.class.getName(), settings.dataDirectory().toString(),
                settings.binariesDirectory().toString())
                .redirectErrorStream(true)
                .start();
    }

    private static void awaitReady(Process child) throws Exception {
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    if (line.equals(OrphanedServerMain.READY)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(ready.get(CHILD_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("child JVM ready").isTrue();
    }
}
