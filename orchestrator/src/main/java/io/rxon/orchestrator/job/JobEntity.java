package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A client's job as stored: what to run, for whom, where it stands and how it ended. */
@Entity
@DynamicUpdate
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(nullable = false)
    public String type;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> params;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> requirements;

    public double priority;

    @Convert(converter = JobStatusConverter.class)
    @Column(nullable = false)
    public JobStatus status;

    public int attempts;

    @Column(name = "max_attempts")
    public int maxAttempts;

    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "current_task_id")
    public String currentTaskId;

    @Column(name = "assigned_worker_id")
    public String assignedWorkerId;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> result;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> error;

    public Double progress;

    @Column(name = "progress_message")
    public String progressMessage;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> security;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;

    /** Epoch milliseconds, like every instant in the schema (one clock, PROTOCOL.md §11.1). */
    @Column(name = "created_at")
    public long createdAt;

    @Column(name = "updated_at")
    public long updatedAt;

    @Column(name = "deadline_at")
    public Long deadlineAt;

    @Column(name = "finished_at")
    public Long finishedAt;

    /** Integrity metadata ({@code FileMetadata}) of the blobs the params refer to, by key path. */
    @Column(name = "params_metadata")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> paramsMetadata;

    /** The result's {@code data_metadata}: integrity metadata of the blobs the result refers to. */
    @Column(name = "result_metadata")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> resultMetadata;

    /** Other jobs and uploads whose blobs this job refers to: their clean-up waits for this job's. */
    @Column(name = "blob_owners")
    public String[] blobOwners;

    /** When this job's blobs ({@code jobs/<id>/}) were deleted; null while they are kept. */
    @Column(name = "blobs_cleaned_at")
    public Long blobsCleanedAt;

    /** The workflow job this job is a step of (docs/WORKFLOWS.md); null for a job a client submitted. */
    @Column(name = "parent_job_id")
    public String parentJobId;

    /** The workflow this job runs; null for a plain job, which runs its tasks itself. */
    public String workflow;

    public JobState state() {
        return JobState.of(status, assignedWorkerId);
    }

    /**
     * Takes the state a transition of {@link #state()} returned; an ended job never moves again
     * (a state obtained from an earlier read cannot be applied once the job has ended).
     */
    public void moveTo(JobState next, long now) {
        if (status.isTerminal()) {
            throw new IllegalStateException("job " + id + " has ended (" + status.wire() + "); it cannot become "
                    + next.status().wire());
        }
        status = next.status();
        updatedAt = now;
        if (next instanceof JobState.Running running) {
            assignedWorkerId = running.workerId();
        } else if (next instanceof JobState.Waiting) {
            assignedWorkerId = null;
        } else if (next instanceof JobState.Ended) {
            finishedAt = now;
        }
    }
}
