package io.rxon.orchestrator.console;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.rxon.orchestrator.security.ClientIdentity;
import io.rxon.orchestrator.security.StoredSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sessions as HMAC-SHA256-signed cookies: {@code HttpOnly} (no script reads them),
 * {@code SameSite=Strict} (no other site's page sends them), scoped to {@code /console}, and
 * {@code Secure} when the request came over HTTPS. The token a user logged in with is never stored;
 * the cookie names the identity it proved, until {@code rxon.orchestrator.console.session-timeout},
 * and a keyed mark of a static client token, checked on every request: a session ends as soon as
 * the token it was opened with is no longer one its client authenticates with (removed, rotated, or
 * static tokens switched off), on every replica, without a store of sessions to revoke.
 */
@ApplicationScoped
public class ConsoleSessions {

    public static final String COOKIE = "rxon_console";
    /** Holds the login form's CSRF token until the form is posted (login CSRF). */
    public static final String LOGIN_COOKIE = "rxon_console_login";
    static final String PATH = "/console";

    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Bytes of a token mark: enough that no other token shares one, short enough for a cookie. */
    private static final int MARK_BYTES = 16;

    private final SecretKeySpec key;
    private final SecretKeySpec markKey;
    private final Duration timeout;
    private final Clock clock;
    private final Function<String, Optional<String>> staticTokens;

    @Inject
    public ConsoleSessions(OrchestratorConfig config, Clock clock, ClientAuthenticator authenticator) {
        this(StoredSecrets.resolve(config.console().sessionSecret(), config.dataDir().resolve("console-session-secret"),
                "RXON_CONSOLE_SESSION_SECRET", StoredSecrets.Disclosure.FILE_ONLY),
                config.console().sessionTimeout(), clock, authenticator::staticToken);
    }

    /**
     * The signing key is derived from the configured secret rather than the secret itself, so the
     * same value may also serve elsewhere (Helm passes the default client's token when no secret of
     * its own is named) without one use revealing anything about the other. Token marks have a key
     * of their own, derived the same way: the cookie is signed, not encrypted, so an unkeyed hash
     * of a token would let whoever reads a cookie try guesses at the token.
     *
     * @param staticTokens the token a static client authenticates with now, by client id; empty
     *     when there is none (the client was removed, or static tokens are off)
     */
    ConsoleSessions(String secret, Duration timeout, Clock clock, Function<String, Optional<String>> staticTokens) {
        SecretKeySpec configured = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.key = new SecretKeySpec(hmac(configured, "rxon-console-session-v1"), HMAC);
        this.markKey = new SecretKeySpec(hmac(configured, "rxon-console-token-mark-v1"), HMAC);
        this.timeout = timeout;
        this.clock = clock;
        this.staticTokens = staticTokens;
    }

    /** A new session for an identity that proved itself without a static token (Keycloak login). */
    public ConsoleSession start(ClientIdentity identity) {
        return start(identity, ConsoleSession.UNBOUND);
    }

    /**
     * A new session for a token login: bound to the token when it is its client's static token, so
     * the session ends with it; a Keycloak access token (mixed mode) binds nothing.
     */
    public ConsoleSession startWithToken(ClientIdentity identity, String token) {
        boolean isStatic = staticTokens.apply(identity.clientId()).filter(current -> sameText(current, token))
                .isPresent();
        return start(identity, isStatic ? mark(token) : ConsoleSession.UNBOUND);
    }

    private ConsoleSession start(ClientIdentity identity, String tokenMark) {
        return new ConsoleSession(identity.clientId(), identity.client(), identity.admin(),
                clock.millis() + timeout.toMillis(), randomToken(), tokenMark);
    }

    /** The request's valid, unexpired session, if it carries one. */
    public Optional<ConsoleSession> of(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        return cookie == null ? Optional.empty() : verify(cookie.getValue());
    }

    Optional<ConsoleSession> verify(String value) {
        int dot = value.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = value.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(value.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(payload), given)) {
            return Optional.empty();
        }
        return ConsoleSession.decode(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .filter(session -> session.expiresAt() > clock.millis())
                .filter(this::tokenStillValid);
    }

    /** Checked on every request, so a removed or rotated token ends its sessions on their next page. */
    private boolean tokenStillValid(ConsoleSession session) {
        if (!session.boundToToken()) {
            return true;
        }
        return staticTokens.apply(session.clientId()).filter(current -> sameText(mark(current), session.tokenMark()))
                .isPresent();
    }

    /** A token's mark: the first bytes of its HMAC under the mark key, base64url. */
    String mark(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hmac(markKey, token), MARK_BYTES));
    }

    private static boolean sameText(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The cookie that carries a session. */
    public NewCookie cookie(ConsoleSession session, boolean secure) {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(session.encode().getBytes(StandardCharsets.UTF_8));
        String value = payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(payload));
        return cookie(COOKIE, value, (int) timeout.toSeconds(), secure);
    }

    /** Removes the session cookie (logout). */
    public NewCookie expired(boolean secure) {
        return cookie(COOKIE, "", 0, secure);
    }

    /** The login form's CSRF cookie, valid for ten minutes. */
    public NewCookie loginCookie(String token, boolean secure) {
        return cookie(LOGIN_COOKIE, token, 600, secure);
    }

    public static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static NewCookie cookie(String name, String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(name).value(value).path(PATH).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    private byte[] sign(String payload) {
        return hmac(key, payload);
    }

    private static byte[] hmac(SecretKeySpec key, String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
