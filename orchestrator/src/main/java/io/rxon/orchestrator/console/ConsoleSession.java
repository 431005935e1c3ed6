package io.rxon.orchestrator.console;

import io.quarkus.qute.TemplateData;
import io.rxon.orchestrator.security.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * A logged-in console user: the API identity it acts as, when the login ends (epoch milliseconds),
 * the CSRF token its forms must send back and a mark of the client token the login proved. The
 * whole record travels in the signed session cookie ({@link ConsoleSessions}), so any orchestrator
 * sharing the signing key accepts it.
 *
 * @param tokenMark a keyed fingerprint of the static client token the user logged in with, so a
 *     session ends when that token is removed or rotated; {@link #UNBOUND} when the login proved no
 *     static token (Keycloak)
 */
@TemplateData
public record ConsoleSession(String clientId, boolean client, boolean admin, long expiresAt, String csrf,
        String tokenMark) {

    /** The token mark of a session that no static client token stands behind. */
    public static final String UNBOUND = "-";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public ConsoleSession {
        if (clientId == null || clientId.isEmpty() || csrf == null || csrf.isEmpty() || tokenMark == null
                || tokenMark.isEmpty()) {
            throw new IllegalArgumentException("a console session needs a client id, a CSRF token and a token mark");
        }
    }

    /** Whether the session stands for a static client token (and so lives only as long as that token). */
    public boolean boundToToken() {
        return !UNBOUND.equals(tokenMark);
    }

    /** The identity the API services see: the same one the user's token has on the API. */
    public ClientIdentity identity() {
        return new ClientIdentity(clientId, client, admin);
    }

    /** Whether a form's CSRF field is this session's token (compared in constant time). */
    public boolean acceptsCsrf(String submitted) {
        return submitted != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                submitted.getBytes(StandardCharsets.UTF_8));
    }

    /** The text that is signed: every field, the free-text client id base64url-encoded. */
    String encode() {
        return String.join("~", ENCODER.encodeToString(clientId.getBytes(StandardCharsets.UTF_8)),
                client ? "c" : "-", admin ? "a" : "-", Long.toString(expiresAt), csrf, tokenMark);
    }

    /**
     * The inverse of {@link #encode()}; empty for anything it did not write, including the five-field
     * cookies of versions before the token mark (their users log in once more).
     */
    static Optional<ConsoleSession> decode(String text) {
        String[] parts = text.split("~", -1);
        if (parts.length != 6) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConsoleSession(new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8),
                    "c".equals(parts[1]), "a".equals(parts[2]), Long.parseLong(parts[3]), parts[4], parts[5]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
