package io.rxon.orchestrator.error;

/** The job, worker or blob does not exist, or belongs to someone else (which we do not reveal). */
public class ResourceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResourceNotFoundException(String message) {
        super(message);
    }
}
