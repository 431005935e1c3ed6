package io.rxon.orchestrator.error;

/** Credentials are missing, unknown or expired: the caller should (re)authenticate. */
public class UnauthenticatedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnauthenticatedException(String message) {
        super(message);
    }
}
