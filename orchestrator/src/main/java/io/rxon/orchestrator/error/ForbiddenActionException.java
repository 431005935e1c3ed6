package io.rxon.orchestrator.error;

/** A known identity asked for something it may not do, e.g. act under another worker's id. */
public class ForbiddenActionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ForbiddenActionException(String message) {
        super(message);
    }
}
