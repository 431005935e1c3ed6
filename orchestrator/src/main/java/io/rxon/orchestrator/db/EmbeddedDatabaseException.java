package io.rxon.orchestrator.db;

/**
 * The embedded PostgreSQL could not be started or stopped. It exists so that the orchestrator can tell an
 * operator, in one message and before Quarkus starts, what went wrong and what to do about it (run as a
 * normal user, allow user namespaces, free the data directory, or configure an external database) instead
 * of surfacing a library's stack trace or a timeout.
 */
public class EmbeddedDatabaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedDatabaseException(String message) {
        super(message);
    }

    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
