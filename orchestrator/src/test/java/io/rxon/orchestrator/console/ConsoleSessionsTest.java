package io.rxon.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.orchestrator.security.ClientIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static ConsoleSessions sessions(String secret, Instant now) {
        return new ConsoleSessions(secret, Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String value(ConsoleSessions sessions, ConsoleSession session) {
        return sessions.cookie(session, false).getValue();
    }

    @Test
    void shouldAcceptItsOwnSessionBackWithEveryField() {
        // given
        ConsoleSessions sessions = sessions("secret", NOW);
        ConsoleSession session = sessions.start(new ClientIdentity("alice~:x", true, false));

        // when
        var verified = sessions.verify(value(sessions, session));

        // then
        assertThat(verified).contains(session);
        assertThat(verified.orElseThrow().identity()).isEqualTo(new ClientIdentity("alice~:x", true, false));
    }

    @Test
    void shouldRefuseATamperedASignedElsewhereAndAnExpiredSession() {
        // given
        ConsoleSessions sessions = sessions("secret", NOW);
        String cookie = value(sessions, sessions.start(new ClientIdentity("alice", true, false)));
        String admin = value(sessions("secret", NOW), new ConsoleSession("alice", true, true,
                NOW.plusSeconds(60).toEpochMilli(), "csrf"));

        // then
        assertThat(sessions.verify(admin.substring(0, admin.indexOf('.')) + cookie.substring(cookie.indexOf('.'))))
                .isEmpty();
        assertThat(sessions("other-secret", NOW).verify(cookie)).isEmpty();
        assertThat(sessions("secret", NOW.plus(Duration.ofHours(9))).verify(cookie)).isEmpty();
        assertThat(sessions.verify("no-signature")).isEmpty();
        assertThat(sessions.verify("a.%%%")).isEmpty();
    }

    @Test
    void shouldCompareCsrfTokensExactly() {
        ConsoleSession session = new ConsoleSession("alice", true, false, 1, "token");

        assertThat(session.acceptsCsrf("token")).isTrue();
        assertThat(session.acceptsCsrf("token2")).isFalse();
        assertThat(session.acceptsCsrf(null)).isFalse();
    }
}
