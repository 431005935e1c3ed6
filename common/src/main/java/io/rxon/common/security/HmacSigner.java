package io.rxon.common.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keyed with the UTF-8 bytes of a shared secret (the worker's token), hex encoded:
 * the reference's {@code sign_payload}/{@code verify_signature}.
 */
public final class HmacSigner implements MessageSigner, MessageVerifier {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public HmacSigner(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("an HMAC secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    @Override
    public String sign(byte[] canonicalBytes) {
        return HexFormat.of().formatHex(mac(canonicalBytes));
    }

    /** Recomputes and compares in constant time; an empty or non-hex signature is simply invalid. */
    @Override
    public boolean verify(byte[] canonicalBytes, String signatureHex) {
        if (signatureHex == null || signatureHex.isEmpty()) {
            return false;
        }
        byte[] expected = sign(canonicalBytes).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHex.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "HmacSigner[secret=***]";
    }
}
