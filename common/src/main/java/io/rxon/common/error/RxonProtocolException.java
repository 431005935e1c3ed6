package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;

/** The peer answered, but not as the protocol allows: an error status or a body that is not valid JSON. */
public class RxonProtocolException extends RxonException {

    private static final long serialVersionUID = 1L;

    public RxonProtocolException(String message, ErrorCode code, int httpStatus, Throwable cause) {
        super(message, code, httpStatus, cause);
    }

    public RxonProtocolException(String message, int httpStatus) {
        this(message, ErrorCode.TRANSIENT_ERROR, httpStatus, null);
    }
}
