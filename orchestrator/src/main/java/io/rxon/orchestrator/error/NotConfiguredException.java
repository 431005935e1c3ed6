package io.rxon.orchestrator.error;

/**
 * A feature this deployment has not configured, e.g. presigned URLs without S3 (answered 501 with
 * {@code DEPENDENCY_MISSING_ERROR}).
 */
public class NotConfiguredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotConfiguredException(String message) {
        super(message);
    }
}
