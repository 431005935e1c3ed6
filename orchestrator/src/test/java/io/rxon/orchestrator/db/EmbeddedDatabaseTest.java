package io.rxon.orchestrator.db;

import static io.rxon.orchestrator.db.TestDatabases.connect;
import static io.rxon.orchestrator.db.TestDatabases.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.orchestrator.testing.TestDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop and restart of the embedded server on a data directory of its own per test. */
class EmbeddedDatabaseTest {

    @TempDir
    Path temp;

    @Test
    void shouldKeepDataBetweenRuns() throws SQLException {
        // given
        EmbeddedDatabaseSettings settings = settings(temp.resolve("postgres"));
        try (EmbeddedDatabase first = EmbeddedDatabase.start(settings);
                Connection connection = connect(first);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (id int PRIMARY KEY, text varchar NOT NULL)");
            statement.execute("INSERT INTO note VALUES (1, 'kept')");
        }

        // when
        try (EmbeddedDatabase second = EmbeddedDatabase.start(settings);
                Connection connection = connect(second);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT text FROM note WHERE id = 1")) {

            // then
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void shouldStartDespiteStalePidFileNamingAnotherProcess() throws Exception {
        // given a data directory whose postmaster.pid names a live process that is no PostgreSQL server
        EmbeddedDatabaseSettings settings = settings(temp.resolve("postgres"));
        EmbeddedDatabase.start(settings).close();
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(settings.dataDirectory().resolve(StalePostmasterGuard.PID_FILE),
                    unrelated.pid() + "\n" + settings.dataDirectory() + "\n");

            // when
            try (EmbeddedDatabase database = EmbeddedDatabase.start(settings);
                    Connection connection = connect(database)) {

                // then
                assertThat(connection.isValid(2)).isTrue();
                assertThat(unrelated.isAlive()).isTrue();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseADataDirectoryInUse() {
        // given
        EmbeddedDatabaseSettings settings = settings(temp.resolve("postgres"));
        try (EmbeddedDatabase running = EmbeddedDatabase.start(settings)) {

            // when / then
            assertThatThrownBy(() -> EmbeddedDatabase.start(settings).close())
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("in use by another running orchestrator");
        }
    }

    @Test
    void shouldUnpackBinariesIntoTheGivenDirectoryAndKeepServerFilesNextToTheData() {
        // given
        EmbeddedDatabaseSettings settings = settings(temp.resolve("postgres"));

        // when
        EmbeddedDatabase.start(settings).close();

        // then
        assertThat(TestDirectories.postgresBinaries()).isDirectoryRecursivelyContaining("glob:**/bin/postgres");
        assertThat(settings.passwordFile()).isRegularFile();
        assertThat(settings.logFile()).isRegularFile();
        assertThat(settings.dataDirectory().resolve("PG_VERSION")).hasContent("17");
        assertThat(settings.dataDirectory().resolve(StalePostmasterGuard.PID_FILE)).doesNotExist();
    }
}
