package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;

/**
 * A message failed the zero-trust gate: missing or stale timestamp, missing or wrong signature,
 * signer other than the sender. Maps to HTTP 403 (PROTOCOL.md §11.2).
 */
public class RxonSecurityException extends RxonException {

    private static final long serialVersionUID = 1L;

    public RxonSecurityException(String message) {
        super(message, ErrorCode.SECURITY_ERROR);
    }
}
