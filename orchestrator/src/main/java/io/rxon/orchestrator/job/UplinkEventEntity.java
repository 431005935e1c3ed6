package io.rxon.orchestrator.job;

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

/**
 * An event of a local job that runs a parent task, kept for the parent until it has answered it
 * (table {@code uplink_events}; the uplink sends and deletes it, docs/HOLARCHY.md).
 */
@Entity
@Table(name = "uplink_events")
public class UplinkEventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "local_job_id", nullable = false)
    public String localJobId;

    /** The event as it was received ({@code WorkerEventPayload}, without its signature). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> event;

    @Column(name = "created_at", nullable = false)
    public long createdAt;
}
