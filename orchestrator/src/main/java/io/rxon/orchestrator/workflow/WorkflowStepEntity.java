package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One external step of an instance: a skill call, a sub-workflow, a timer or a signal ({@link StepRecord}). */
@Entity
@DynamicUpdate
@Table(name = "workflow_steps")
public class WorkflowStepEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "step_key")
    public String stepKey;

    /** The task's name in the definition. */
    public String task;

    /** call, run, wait or listen. */
    public String kind;

    public String status;

    /** The job of a skill call or sub-workflow. */
    @Column(name = "child_job_id")
    public String childJobId;

    /** The signal a listen step waits for. */
    public String signal;

    /** When a wait step ends. */
    @Column(name = "due_at")
    public Long dueAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode output;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode error;

    public int attempts;

    @Column(name = "worker_id")
    public String workerId;

    @Column(name = "started_at")
    public long startedAt;

    @Column(name = "finished_at")
    public Long finishedAt;

    StepRecord record() {
        return new StepRecord(stepKey, status, output, error, finishedAt == null ? 0 : finishedAt);
    }
}
