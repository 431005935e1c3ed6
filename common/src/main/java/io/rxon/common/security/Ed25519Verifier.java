package io.rxon.common.security;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies Ed25519 signatures against a registered public key; malformed signatures are invalid,
 * not errors. Verification is Bouncy Castle's RFC 8032 implementation, several times faster than
 * the JDK 17 provider (bench: {@code Ed25519Bench}); an orchestrator verifies every message of a
 * Keycloak worker on an event loop.
 */
public final class Ed25519Verifier implements MessageVerifier {

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32-byte key. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] publicKey;

    public Ed25519Verifier(PublicKey publicKey) {
        this.publicKey = rawKey(publicKey.getEncoded());
    }

    public static Ed25519Verifier fromPem(String spkiPem) {
        return new Ed25519Verifier(Ed25519Keys.parsePublicKey(spkiPem));
    }

    @Override
    public boolean verify(byte[] canonicalBytes, String signatureHex) {
        if (signatureHex == null || signatureHex.length() != 2 * Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            byte[] signature = HexFormat.of().parseHex(signatureHex);
            return Ed25519.verify(signature, 0, publicKey, 0, canonicalBytes, 0, canonicalBytes.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] rawKey(byte[] spki) {
        if (spki == null || spki.length != SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    }
}
