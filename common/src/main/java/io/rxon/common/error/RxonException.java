package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;
import java.util.Optional;

/**
 * Base of every failure the RXON library reports. It carries the protocol {@link ErrorCode} that
 * best describes it and, for HTTP failures, the status code; it is never swallowed or replaced by
 * a null return.
 */
public class RxonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int httpStatus;

    public RxonException(String message, ErrorCode code, int httpStatus, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public RxonException(String message, ErrorCode code) {
        this(message, code, 0, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The HTTP status that caused this failure, when there was one. */
    public Optional<Integer> httpStatus() {
        return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
    }
}
