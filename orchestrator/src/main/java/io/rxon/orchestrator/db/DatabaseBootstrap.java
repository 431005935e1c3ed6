package io.rxon.orchestrator.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Creates the application's login role and database in a freshly started server, once. It exists so that
 * the orchestrator never works as the superuser: Flyway and the application connect as a role that owns
 * its database (and therefore its {@code public} schema) and nothing else.
 */
final class DatabaseBootstrap {

    private static final String SUPERUSER = "postgres";

    private DatabaseBootstrap() {
    }

    /** Idempotent: creates {@code role} and {@code database} (owned by it) only if they are missing. */
    static void ensureRoleAndDatabase(String host, int port, String superuserPassword, String role,
            String database, String rolePassword) throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(SUPERUSER);
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(superuserPassword);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                statement.execute("CREATE ROLE " + identifier(role) + " LOGIN PASSWORD " + literal(rolePassword));
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("CREATE DATABASE " + identifier(database) + " OWNER " + identifier(role)
                        + " ENCODING 'UTF8'");
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
