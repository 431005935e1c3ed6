package io.rxon.orchestrator.events;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored job event (lifecycle or worker event); {@code event_id} is unique, which de-duplicates. */
@Entity
@Table(name = "job_events")
public class JobEventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "event_id", nullable = false, unique = true)
    public String eventId;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "task_id")
    public String taskId;

    @Column(name = "worker_id")
    public String workerId;

    @Column(nullable = false)
    public String type;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> payload;

    @Column(name = "created_at")
    public long createdAt;

    /** The worker that produced a worker event (the leaf, when a child orchestrator relayed it). */
    @Column(name = "origin_worker_id")
    public String originWorkerId;

    /** The orchestrators a worker event bubbled through on its way here; null when it came straight from its origin. */
    @Column(name = "bubbling_chain")
    public String[] bubblingChain;
}
