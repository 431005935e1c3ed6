package io.rxon.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonValue;
import io.rxon.common.protocol.Protocol;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a job, with the reference's status names. A job waits for a worker, runs, and ends
 * finished, failed, cancelled or quarantined (dead letter); a retried job goes back to waiting.
 */
public enum JobStatus {
    PENDING(Protocol.JOB_PENDING),
    WAITING_FOR_WORKER(Protocol.JOB_WAITING_FOR_WORKER),
    RUNNING(Protocol.JOB_RUNNING),
    FINISHED(Protocol.JOB_FINISHED),
    FAILED(Protocol.JOB_FAILED),
    CANCELLED(Protocol.JOB_CANCELLED),
    QUARANTINED(Protocol.JOB_QUARANTINED);

    private static final Set<JobStatus> TERMINAL = EnumSet.of(FINISHED, FAILED, CANCELLED, QUARANTINED);

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Terminal statuses are final; every other status may move anywhere the service decides. */
    public boolean canMoveTo(JobStatus next) {
        return !isTerminal() && next != this;
    }

    public static JobStatus fromWire(String value) {
        for (JobStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + value + "'; expected one of "
                + Arrays.stream(values()).map(JobStatus::wire).toList());
    }
}
