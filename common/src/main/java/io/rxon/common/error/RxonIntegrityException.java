package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;

/** A blob's size, ETag or digest differs from the metadata that travelled with its reference. */
public class RxonIntegrityException extends RxonException {

    private static final long serialVersionUID = 1L;

    public RxonIntegrityException(String message) {
        super(message, ErrorCode.INTEGRITY_MISMATCH_ERROR);
    }
}
