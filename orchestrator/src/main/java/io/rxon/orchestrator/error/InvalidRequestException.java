package io.rxon.orchestrator.error;

/** The request is malformed or breaks a rule (bad JSON, wrong field type, invalid identifier). */
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
