package io.rxon.orchestrator.db;

import static io.rxon.orchestrator.db.TestDatabases.connect;
import static io.rxon.orchestrator.db.TestDatabases.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may connect to the embedded server, and how; one server shared by the read-only checks. */
class EmbeddedDatabaseAccessTest {

    @TempDir
    static Path temp;

    private static EmbeddedDatabase database;

    @BeforeAll
    static void startServer() {
        database = EmbeddedDatabase.start(settings(temp.resolve("postgres")));
    }

    @AfterAll
    static void stopServer() {
        database.close();
    }

    @Test
    void shouldConnectAsApplicationRoleThatOwnsItsDatabase() throws SQLException {
        // given
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();

                // when
                ResultSet row = statement.executeQuery("SELECT current_user, current_database(),"
                        + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),"
                        + " pg_get_userbyid((SELECT datdba FROM pg_database WHERE datname = current_database()))")) {

            // then
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("rxon");
            assertThat(row.getString(2)).isEqualTo("rxon");
            assertThat(row.getBoolean(3)).as("superuser").isFalse();
            assertThat(row.getString(4)).isEqualTo("rxon");
        }
    }

    @Test
    void shouldDescribeItselfWithLoopbackUrls() {
        assertThat(database.reactiveUrl()).isEqualTo("postgresql://127.0.0.1:" + database.port() + "/rxon");
        assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + database.port() + "/rxon");
        assertThat(database.username()).isEqualTo("rxon");
        assertThat(database.password()).isNotBlank();
    }

    @Test
    void shouldListenOnLoopbackOnlyAndWithoutUnixSocket() throws SQLException {
        // given: only a superuser may read unix_socket_directories; it has the same generated password
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", database.password());
                Statement statement = connection.createStatement();

                // when
                ResultSet row = statement.executeQuery("SELECT current_setting('listen_addresses'),"
                        + " current_setting('unix_socket_directories')")) {

            // then
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("127.0.0.1");
            assertThat(row.getString(2)).isEmpty();
        }
    }

    @Test
    void shouldRefuseConnectionsOnOtherAddressesOfThisMachine() throws IOException {
        // given
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");

        // when / then
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(external.get(), database.port()), 2_000);
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRejectAWrongPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "rxon", "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!networkInterface.isUp() || networkInterface.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
                if (address.getAddress().length == 4 && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
