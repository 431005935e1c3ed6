package io.rxon.common.security;

/** Checks a hex signature over canonical message bytes, in constant time where it compares secrets. */
public interface MessageVerifier {

    boolean verify(byte[] canonicalBytes, String signatureHex);
}
