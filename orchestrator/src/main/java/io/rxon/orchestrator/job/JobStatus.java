package io.rxon.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonValue;
import io.rxon.common.protocol.Protocol;
import java.util.Arrays;

/**
 * The stored and wire names of the job states ({@link JobState}, where their transitions live),
 * with the reference's status names.
 */
public enum JobStatus {
    PENDING(Protocol.JOB_PENDING),
    WAITING_FOR_WORKER(Protocol.JOB_WAITING_FOR_WORKER),
    RUNNING(Protocol.JOB_RUNNING),
    FINISHED(Protocol.JOB_FINISHED),
    FAILED(Protocol.JOB_FAILED),
    CANCELLED(Protocol.JOB_CANCELLED),
    QUARANTINED(Protocol.JOB_QUARANTINED);

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return JobState.ENDED.contains(this);
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
