package io.rxon.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The global {@link PostgresTestResource} reaches Quarkus without any annotation on the test class. */
@QuarkusTest
class PostgresTestResourceTest {

    @Inject
    Pool reactivePool;

    @Inject
    AgroalDataSource jdbcDataSource;

    @Test
    void shouldConnectTheReactiveClientToTheEmbeddedDatabase() {
        // when
        Row row = reactivePool.query("SELECT current_database(), current_user").execute()
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();

        // then
        assertThat(row.getString(0)).isEqualTo("rxon");
        assertThat(row.getString(1)).isEqualTo("rxon");
    }

    @Test
    void shouldHaveRunTheFlywayMigrationsOverJdbc() throws SQLException {
        // when
        try (Connection connection = jdbcDataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT count(*) FROM flyway_schema_history WHERE success")) {

            // then
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isPositive();
        }
    }
}
