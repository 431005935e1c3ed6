package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;

/** Credentials were missing, expired or refused (HTTP 401 after a failed refresh, or 403). */
public class RxonAuthException extends RxonException {

    private static final long serialVersionUID = 1L;

    public RxonAuthException(String message, int httpStatus) {
        super(message, ErrorCode.SECURITY_ERROR, httpStatus, null);
    }
}
