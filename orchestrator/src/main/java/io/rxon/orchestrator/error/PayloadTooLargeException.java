package io.rxon.orchestrator.error;

/** A blob or payload over a configured size limit (answered 413 with {@code LIMIT_EXCEEDED_ERROR}). */
public class PayloadTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
