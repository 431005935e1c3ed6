package io.rxon.common.security;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;

/** Verifies Ed25519 signatures against a registered public key; malformed signatures are invalid, not errors. */
public final class Ed25519Verifier implements MessageVerifier {

    private final PublicKey publicKey;

    public Ed25519Verifier(PublicKey publicKey) {
        this.publicKey = publicKey;
    }

    public static Ed25519Verifier fromPem(String spkiPem) {
        return new Ed25519Verifier(Ed25519Keys.parsePublicKey(spkiPem));
    }

    @Override
    public boolean verify(byte[] canonicalBytes, String signatureHex) {
        if (signatureHex == null || signatureHex.length() != 128) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(publicKey);
            signature.update(canonicalBytes);
            return signature.verify(HexFormat.of().parseHex(signatureHex));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
