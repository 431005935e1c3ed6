package io.rxon.orchestrator.db;

import io.rxon.orchestrator.testing.TestDirectories;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Settings and connections shared by the tests of the embedded database. */
final class TestDatabases {

    private TestDatabases() {
    }

    /** Durable like production, with the binaries unpacked once per build under {@code target}. */
    static EmbeddedDatabaseSettings settings(Path dataDirectory) {
        return EmbeddedDatabaseSettings.forDataDirectory(dataDirectory)
                .withBinariesDirectory(TestDirectories.postgresBinaries());
    }

    static Connection connect(EmbeddedDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
