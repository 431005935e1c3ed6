package io.rxon.orchestrator.job;

import java.util.Locale;

/**
 * Lifecycle of one task attempt. Only a {@code pending} task can be claimed and only an
 * {@code assigned} one can take a result or lose its lease; both moves are conditional updates.
 */
public enum TaskStatus {
    /** Waiting for a matching worker. */
    PENDING,
    /** Handed to a worker, which holds a lease on it. */
    ASSIGNED,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** The worker went silent or its lease ran out; the job decides whether to try again. */
    EXPIRED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
