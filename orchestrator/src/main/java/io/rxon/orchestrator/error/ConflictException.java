package io.rxon.orchestrator.error;

/** The request is valid but the resource is in a state that does not allow it (cancel a finished job). */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
