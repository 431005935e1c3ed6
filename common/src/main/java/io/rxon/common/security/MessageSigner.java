package io.rxon.common.security;

/**
 * Signs canonical message bytes (PROTOCOL.md §5.1). Implementations: {@link HmacSigner} with the
 * worker's shared token, {@link Ed25519Signer} with a worker key pair.
 */
public interface MessageSigner {

    /** Lowercase hex signature of {@code canonicalBytes}. */
    String sign(byte[] canonicalBytes);
}
