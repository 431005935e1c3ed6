package io.rxon.common.protocol.socket;

import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.protocol.ErrorCode;

/**
 * A socket text frame that is not one of the frames of {@code docs/PUSH_DISPATCH.md}. Receivers
 * log and skip it (worker) or answer with an {@code error} frame (orchestrator); it never closes
 * the socket by itself.
 */
public class InvalidFrameException extends RxonProtocolException {

    private static final long serialVersionUID = 1L;

    public InvalidFrameException(String message, Throwable cause) {
        super(message, ErrorCode.INVALID_INPUT_ERROR, 0, cause);
    }

    public InvalidFrameException(String message) {
        this(message, null);
    }
}
