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

    /**
     * A 400, 413 or 422 for a message: the message itself is wrong, so no retry of it can succeed (a
     * worker's or an uplink's result outbox drops it instead of retrying for ever).
     */
    public boolean isRefusedForGood() {
        return httpStatus().filter(status -> status == 400 || status == 413 || status == 422).isPresent();
    }
}
