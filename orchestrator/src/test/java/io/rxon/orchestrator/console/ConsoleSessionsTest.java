package io.rxon.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.orchestrator.security.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static ConsoleSessions sessions(String secret, Instant now) {
        return sessions(secret, now, Map.of());
    }

    /** {@code tokens}: the static clients' tokens, as the orchestrator's configuration has them now. */
    private static ConsoleSessions sessions(String secret, Instant now, Map<String, String> tokens) {
        return new ConsoleSessions(secret, Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC),
                clientId -> Optional.ofNullable(tokens.get(clientId)));
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
                NOW.plusSeconds(60).toEpochMilli(), "csrf", ConsoleSession.UNBOUND));

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
        ConsoleSession session = new ConsoleSession("alice", true, false, 1, "token", ConsoleSession.UNBOUND);

        assertThat(session.acceptsCsrf("token")).isTrue();
        assertThat(session.acceptsCsrf("token2")).isFalse();
        assertThat(session.acceptsCsrf(null)).isFalse();
    }

    @Test
    void givenASessionOpenedWithAStaticTokenWhenThatTokenIsRemovedOrRotatedThenTheSessionEnds() {
        // given: alice logs in with her token; every replica and restart signs with the same secret
        ConsoleSessions atLogin = sessions("secret", NOW, Map.of("alice", "alice-token"));
        ConsoleSession session = atLogin.startWithToken(new ClientIdentity("alice", true, false), "alice-token");
        String cookie = value(atLogin, session);

        // when: the configuration later holds the same token, none for alice, another one, or hers under another name
        var unchanged = sessions("secret", NOW, Map.of("alice", "alice-token")).verify(cookie);
        var removed = sessions("secret", NOW, Map.of("bob", "bob-token")).verify(cookie);
        var rotated = sessions("secret", NOW, Map.of("alice", "alice-token-2")).verify(cookie);
        var renamed = sessions("secret", NOW, Map.of("alicia", "alice-token")).verify(cookie);

        // then
        assertThat(session.boundToToken()).isTrue();
        assertThat(unchanged).contains(session);
        assertThat(removed).isEmpty();
        assertThat(rotated).isEmpty();
        assertThat(renamed).isEmpty();
    }

    @Test
    void givenALoginThatProvedNoStaticTokenWhenItsSessionIsUsedThenOnlyItsExpiryEndsIt() {
        // given: a Keycloak access token posted to the login form (mixed mode), and a Keycloak login
        ConsoleSessions sessions = sessions("secret", NOW, Map.of("alice", "alice-token"));
        ConsoleSession jwt = sessions.startWithToken(new ClientIdentity("oidc:portal", true, false), "eyJ.a.b");
        ConsoleSession keycloak = sessions.start(new ClientIdentity("oidc-user:carol", true, false));

        // when
        var jwtVerified = sessions("secret", NOW).verify(value(sessions, jwt));
        var keycloakVerified = sessions("secret", NOW).verify(value(sessions, keycloak));

        // then
        assertThat(jwt.boundToToken()).isFalse();
        assertThat(jwtVerified).contains(jwt);
        assertThat(keycloakVerified).contains(keycloak);
    }

    @Test
    void givenACookieWhenItIsReadThenItTellsNothingOfTheTokenItsSessionIsBoundTo() {
        // given
        ConsoleSessions sessions = sessions("secret", NOW, Map.of("alice", "alice-token"));
        String cookie = value(sessions, sessions.startWithToken(new ClientIdentity("alice", true, false),
                "alice-token"));

        // when
        String payload = new String(Base64.getUrlDecoder().decode(cookie.substring(0, cookie.indexOf('.'))),
                StandardCharsets.UTF_8);

        // then: the mark is keyed by the session secret, so another secret marks the same token differently
        assertThat(payload).doesNotContain("alice-token");
        assertThat(payload).endsWith("~" + sessions.mark("alice-token"));
        assertThat(sessions("other-secret", NOW).mark("alice-token")).isNotEqualTo(sessions.mark("alice-token"));
    }
}
