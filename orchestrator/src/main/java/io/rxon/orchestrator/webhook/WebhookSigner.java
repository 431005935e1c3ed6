package io.rxon.orchestrator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies so receivers can tell they come from this deployment and are fresh:
 * {@code X-RXON-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>} with the
 * UTF-8 bytes of the secret as key and {@code X-RXON-Timestamp: <timestamp>} in Unix seconds.
 * The timestamp is part of the signed bytes, so a receiver that refuses old timestamps refuses
 * replays. README.md, "Webhooks", documents it for receivers.
 */
public final class WebhookSigner {

    public static final String SIGNATURE_HEADER = "X-RXON-Signature";
    public static final String TIMESTAMP_HEADER = "X-RXON-Timestamp";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public WebhookSigner(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the webhook secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The {@value #SIGNATURE_HEADER} value for these exact body bytes sent at {@code timestamp}. */
    public String signature(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
