package io.rxon.orchestrator.workflow;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A registered definition version, stored as it was sent; never updated. */
@Entity
@Table(name = "workflow_definitions")
@IdClass(WorkflowDefinitionEntity.Key.class)
public class WorkflowDefinitionEntity extends PanacheEntityBase {

    @Id
    public String name;

    @Id
    public String version;

    @Column(nullable = false)
    public String document;

    @Column(name = "created_at")
    public long createdAt;

    /** The composite key (name, version). */
    public record Key(String name, String version) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
