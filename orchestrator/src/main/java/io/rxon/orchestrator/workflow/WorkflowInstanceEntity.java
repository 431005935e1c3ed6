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

/** The workflow a job runs, with its input; its steps are {@link WorkflowStepEntity} rows. */
@Entity
@DynamicUpdate
@Table(name = "workflow_instances")
public class WorkflowInstanceEntity extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public String jobId;

    public String name;

    public String version;

    /** The input as submitted. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode input;

    /** Tasks the last replay ran: the runaway guard compares this with the limit. */
    public int transitions;

    /** Written fresh by every advance: the step records {@link InstanceCache} keeps are valid while it is unchanged. */
    public String revision;

    /** When the instance wants to be advanced without an event (a sub-workflow that has not started yet). */
    @Column(name = "wake_at")
    public Long wakeAt;
}
