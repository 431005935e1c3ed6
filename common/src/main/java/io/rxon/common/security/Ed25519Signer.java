package io.rxon.common.security;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs canonical bytes with a worker's Ed25519 private key; the signature is 64 bytes, hex
 * encoded. A plain PKCS#8 key (the 32-byte seed, as the reference and the JDK write it) signs with
 * Bouncy Castle's RFC 8032 implementation, several times faster than the JDK 17 provider (bench:
 * {@code Ed25519Bench}); Ed25519 is deterministic, so both give the same signature. Any other
 * encoding signs with the JDK provider.
 */
public final class Ed25519Signer implements MessageSigner {

    /** The DER prefix of a version-1 PKCS#8 Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final PrivateKey privateKey;
    private final byte[] seed;
    private final byte[] publicKey;

    public Ed25519Signer(PrivateKey privateKey) {
        if (!"EdDSA".equals(privateKey.getAlgorithm()) && !"Ed25519".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 key: " + privateKey.getAlgorithm());
        }
        this.privateKey = privateKey;
        byte[] pkcs8 = privateKey.getEncoded();
        if (pkcs8 != null && pkcs8.length == PKCS8_PREFIX.length + Ed25519.SECRET_KEY_SIZE
                && Arrays.equals(pkcs8, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
            seed = Arrays.copyOfRange(pkcs8, PKCS8_PREFIX.length, pkcs8.length);
            publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        } else {
            seed = null;
            publicKey = null;
        }
    }

    public static Ed25519Signer fromPem(String pkcs8Pem) {
        return new Ed25519Signer(Ed25519Keys.parsePrivateKey(pkcs8Pem));
    }

    @Override
    public String sign(byte[] canonicalBytes) {
        if (seed != null) {
            byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seed, 0, publicKey, 0, canonicalBytes, 0, canonicalBytes.length, signature, 0);
            return HexFormat.of().formatHex(signature);
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(canonicalBytes);
            return HexFormat.of().formatHex(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "Ed25519Signer[key=***]";
    }
}
