package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;

/** The peer could not be reached or the connection broke: safe to retry later. */
public class RxonNetworkException extends RxonException {

    private static final long serialVersionUID = 1L;

    public RxonNetworkException(String message, Throwable cause) {
        super(message, ErrorCode.TRANSIENT_ERROR, 0, cause);
    }
}
