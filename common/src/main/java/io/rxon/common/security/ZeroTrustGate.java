package io.rxon.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonSecurityException;
import io.rxon.common.protocol.Protocol;
import java.time.Clock;
import java.util.Collection;

/**
 * The orchestrator's check of every signed worker message (PROTOCOL.md §5.1), applied to the raw
 * received JSON so that fields this implementation does not know are still covered: mandatory
 * timestamp within ±60 s, signature present and valid when a key exists, signer equal to the
 * authenticated sender.
 */
public final class ZeroTrustGate {

    private final Clock clock;

    public ZeroTrustGate(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param verifier the key to check against, or {@code null} when none is configured (the
     *     timestamp and signer checks still apply)
     * @throws RxonSecurityException with a message naming the failed check
     */
    public void check(JsonNode message, String authenticatedId, MessageVerifier verifier,
            Collection<String> ignoreFields) {
        if (message == null || !message.isObject()) {
            throw new RxonSecurityException("Signed message must be a JSON object");
        }
        checkTimestamp(message.get("timestamp"));
        JsonNode security = message.get("security");
        String signature = text(security, "signature");
        String signerId = text(security, "signer_id");
        if (signerId != null && !signerId.equals(authenticatedId)) {
            throw new RxonSecurityException("Signer ID mismatch: message signed by '" + signerId
                    + "' but sent by '" + authenticatedId + "'");
        }
        if (verifier == null) {
            return;
        }
        if (signature == null || signature.isEmpty()) {
            throw new RxonSecurityException("Missing required signature (security.signature)");
        }
        if (!Signatures.verify(message, signature, verifier, ignoreFields)) {
            throw new RxonSecurityException("Invalid message signature");
        }
    }

    private void checkTimestamp(JsonNode timestamp) {
        if (timestamp == null || !timestamp.isNumber()) {
            throw new RxonSecurityException("Missing required timestamp in signed message");
        }
        double age = Math.abs(clock.millis() / 1000L - timestamp.doubleValue());
        if (age > Protocol.TIMESTAMP_WINDOW_SECONDS) {
            throw new RxonSecurityException("Message timestamp expired (replay protection)");
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
