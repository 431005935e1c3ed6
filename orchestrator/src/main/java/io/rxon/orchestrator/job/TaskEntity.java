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

/** One attempt at running a job on a worker, with its lease and, once reported, its result ({@link TaskState}). */
@Entity
@DynamicUpdate
@Table(name = "tasks")
public class TaskEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    public int attempt;

    @Column(nullable = false)
    public String type;

    public double priority;

    /** Filled by the database sequence: the FIFO order among equal priorities. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> requirements;

    @Convert(converter = TaskStatusConverter.class)
    @Column(nullable = false)
    public TaskStatus status;

    @Column(name = "worker_id")
    public String workerId;

    @Column(name = "created_at")
    public long createdAt;

    @Column(name = "dispatched_at")
    public Long dispatchedAt;

    @Column(name = "lease_expires_at")
    public Long leaseExpiresAt;

    @Column(name = "finished_at")
    public Long finishedAt;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> result;

    public TaskState state() {
        return TaskState.of(status, workerId, leaseExpiresAt);
    }

    /** Takes the state a transition of {@link #state()} returned; an ended task never moves again. */
    public void moveTo(TaskState next, long now) {
        if (status.isEnded()) {
            throw new IllegalStateException("task " + id + " has ended (" + status.column() + "); it cannot become "
                    + next.status().column());
        }
        status = next.status();
        if (next instanceof TaskState.Assigned assigned) {
            workerId = assigned.workerId();
            leaseExpiresAt = assigned.leaseExpiresAt();
        } else if (next instanceof TaskState.Ended) {
            finishedAt = now;
        }
    }
}
