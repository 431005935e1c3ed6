package io.rxon.common.protocol;

/**
 * Why an orchestrator answered a result or an event with {@code "ignored"} (PROTOCOL.md §4.4,
 * §11.3): the message was well-formed but there is nothing left for it to change.
 */
public enum IgnoredReason {
    DEADLINE_EXCEEDED("deadline_exceeded"),
    JOB_CANCELLED("job_cancelled"),
    JOB_NOT_FOUND("job_not_found"),
    WORKER_MISMATCH("worker_mismatch"),
    STALE_TASK("stale_task"),
    JOB_ALREADY_TERMINATED("job_already_terminated"),
    /** rxon-java: a second result for a task, or a second event with the same id (PROTOCOL.md §11.3). */
    DUPLICATE("duplicate");

    private final String wire;

    IgnoredReason(String wire) {
        this.wire = wire;
    }

    /** The reason as it is written on the wire. */
    public String wire() {
        return wire;
    }
}
