package io.rxon.common.security;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.HexFormat;

/** Signs canonical bytes with a worker's Ed25519 private key; the signature is 64 bytes, hex encoded. */
public final class Ed25519Signer implements MessageSigner {

    private final PrivateKey privateKey;

    public Ed25519Signer(PrivateKey privateKey) {
        if (!"EdDSA".equals(privateKey.getAlgorithm()) && !"Ed25519".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 key: " + privateKey.getAlgorithm());
        }
        this.privateKey = privateKey;
    }

    public static Ed25519Signer fromPem(String pkcs8Pem) {
        return new Ed25519Signer(Ed25519Keys.parsePrivateKey(pkcs8Pem));
    }

    @Override
    public String sign(byte[] canonicalBytes) {
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
