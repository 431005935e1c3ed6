package io.rxon.orchestrator.worker;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered worker: its last registration as sent, and what its heartbeats last said. */
@Entity
@Table(name = "workers")
public class WorkerEntity extends PanacheEntityBase {

    @Id
    public String id;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> registration;

    @Column(nullable = false)
    public String status;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> usage;

    @Column(name = "current_tasks")
    public String[] currentTasks;

    @Column(name = "public_key")
    public String publicKey;

    @Column(name = "registered_at")
    public long registeredAt;

    @Column(name = "last_seen_at")
    public long lastSeenAt;
}
