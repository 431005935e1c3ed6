package io.rxon.orchestrator.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.ErrorCode;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

/** Which database failures are an outage (503, retry later) and which stay what they were. */
class DatabaseUnavailableTest {

    @Test
    void shouldAnswer503ForConnectionFailuresHoweverDeeplyWrapped() {
        // given the shapes an outage takes, wrapped as Hibernate Reactive and Mutiny wrap them
        Throwable refused = new HibernateException(new CompletionException(new ConnectException("Connection refused")));
        Throwable closed = new CompletionException(ClosedConnectionException.INSTANCE);
        Throwable poolTimeout = new HibernateException("acquire", new NoStackTraceThrowable("Timeout"));
        Throwable shuttingDown = new PgException("terminating connection due to administrator command", "FATAL",
                "57P01", null);
        Throwable connectionFailure = new PgException("connection failure", "FATAL", "08006", null);

        // when they are mapped, then each is a 503 DEPENDENCY_ERROR
        for (Throwable outage : new Throwable[] {refused, closed, poolTimeout, shuttingDown, connectionFailure}) {
            ErrorCatalog.Entry entry = ErrorCatalog.of(outage);
            assertThat(entry.status()).as("%s", outage).isEqualTo(503);
            assertThat(entry.code()).isEqualTo(ErrorCode.DEPENDENCY_ERROR);
            assertThat(ErrorCatalog.publicMessage(outage, entry)).isEqualTo("the database is unavailable; retry later");
        }
    }

    @Test
    void shouldKeepStatementErrorsAndBugsAs500() {
        // given failures of a database that answers, and a plain bug
        Throwable uniqueViolation = new HibernateException(new PgException("duplicate key", "ERROR", "23505", null));
        Throwable bug = new IllegalStateException("Timeout");

        // when they are mapped, then they are no outage
        assertThat(ErrorCatalog.of(uniqueViolation).status()).isEqualTo(500);
        assertThat(ErrorCatalog.of(bug).status()).isEqualTo(500);
    }
}
