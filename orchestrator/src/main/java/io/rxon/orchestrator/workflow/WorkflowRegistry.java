package io.rxon.orchestrator.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Registered definitions: checked on the way in, immutable once stored (registering the same
 * document again is a no-op, a different one under a stored name and version a conflict), parsed
 * once per process and cached, since a version never changes.
 */
@ApplicationScoped
public class WorkflowRegistry {

    /** The outcome of a registration: the definition, whether it is new, and its warnings. */
    record Registered(WorkflowDefinition definition, boolean created, List<String> warnings) {}

    private final Map<WorkflowDefinitionEntity.Key, WorkflowDefinition> parsed = new ConcurrentHashMap<>();
    private final Clock clock;
    private final WorkerRegistry workers;

    public WorkflowRegistry(Clock clock, WorkerRegistry workers) {
        this.clock = clock;
        this.workers = workers;
    }

    Uni<Registered> register(String text) {
        WorkflowDefinition definition = DefinitionReader.read(text);
        List<String> warnings = definition.missing(offeredSkills()).stream()
                .map(skill -> "no live worker offers skill '" + skill + "' yet").toList();
        WorkflowDefinitionEntity.Key key = new WorkflowDefinitionEntity.Key(definition.name(), definition.version());
        return Panache.withTransaction(() -> WorkflowDefinitionEntity.<WorkflowDefinitionEntity>findById(key)
                .chain(existing -> {
                    if (existing != null && !existing.document.equals(text)) {
                        throw new ConflictException("workflow " + definition.name() + " version "
                                + definition.version() + " is registered already with another document; versions are immutable");
                    }
                    if (existing != null) {
                        return Uni.createFrom().item(new Registered(definition, false, warnings));
                    }
                    WorkflowDefinitionEntity entity = new WorkflowDefinitionEntity();
                    entity.name = definition.name();
                    entity.version = definition.version();
                    entity.document = text;
                    entity.createdAt = clock.millis();
                    return entity.persist().replaceWith(new Registered(definition, true, warnings));
                }))
                .invoke(registered -> parsed.put(key, registered.definition()));
    }

    private Set<String> offeredSkills() {
        return workers.all().stream().flatMap(worker -> worker.skillNames().stream()).collect(Collectors.toSet());
    }

    /** One version, or the newest registered version when {@code version} is null. */
    @WithSession
    public Uni<WorkflowDefinition> find(String name, String version) {
        if (version != null) {
            WorkflowDefinition cached = parsed.get(new WorkflowDefinitionEntity.Key(name, version));
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
        }
        Uni<WorkflowDefinitionEntity> stored = version == null
                ? WorkflowDefinitionEntity.<WorkflowDefinitionEntity>find("name = ?1 order by createdAt desc, version desc",
                        name).firstResult()
                : WorkflowDefinitionEntity.findById(new WorkflowDefinitionEntity.Key(name, version));
        return stored.map(entity -> {
            if (entity == null) {
                throw new ResourceNotFoundException("workflow " + name + (version == null ? "" : " version " + version)
                        + " is not registered");
            }
            return parsed.computeIfAbsent(new WorkflowDefinitionEntity.Key(entity.name, entity.version),
                    key -> DefinitionReader.read(entity.document));
        });
    }

    /** Every registered version, or those of one workflow, oldest first. */
    @WithSession
    public Uni<List<WorkflowDefinitionEntity>> list(String name) {
        return name == null ? WorkflowDefinitionEntity.<WorkflowDefinitionEntity>find("order by name, createdAt").list()
                : WorkflowDefinitionEntity.<WorkflowDefinitionEntity>find("name = ?1 order by createdAt", name).list();
    }

    /** Deletes one version (or every version); refused while a job that has not ended runs it. */
    Uni<Integer> delete(String name, String version) {
        String open = "jobId in (select j.id from JobEntity j where j.finishedAt is null)";
        return Panache.withTransaction(() -> (version == null
                ? WorkflowInstanceEntity.count("name = ?1 and " + open, name)
                : WorkflowInstanceEntity.count("name = ?1 and version = ?2 and " + open, name, version))
                .chain(running -> {
                    if (running > 0) {
                        throw new ConflictException("workflow " + name + " has " + running + " running instance(s)");
                    }
                    Uni<Long> deleted = version == null ? WorkflowDefinitionEntity.delete("name", name)
                            : WorkflowDefinitionEntity.delete("name = ?1 and version = ?2", name, version);
                    return deleted;
                })).map(deleted -> {
                    if (deleted == 0) {
                        throw new ResourceNotFoundException("workflow " + name + (version == null ? ""
                                : " version " + version) + " is not registered");
                    }
                    parsed.keySet().removeIf(key -> key.name().equals(name)
                            && (version == null || key.version().equals(version)));
                    return deleted.intValue();
                });
    }
}
