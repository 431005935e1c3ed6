package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The step records an advance replays against: those this process kept from the instance's last
 * advance ({@link InstanceCache}) with the steps that changed since applied, or, when it kept none
 * under the row's revision, every step loaded again as plain values (not managed entities: an
 * instance of 100 steps would otherwise be snapshotted and dirty-checked at every flush).
 */
@ApplicationScoped
class StepHistory {

    private static final String QUERY = """
            select s.stepKey, s.status, s.output, s.error, s.finishedAt from WorkflowStepEntity s
            where s.jobId = ?1""";

    private final InstanceCache cache;

    StepHistory(InstanceCache cache) {
        this.cache = cache;
    }

    /** The records of {@code instance} with {@code changed} (steps this transaction ended before advancing) applied. */
    Uni<TreeMap<String, StepRecord>> of(WorkflowInstanceEntity instance, List<WorkflowStepEntity> changed) {
        TreeMap<String, StepRecord> kept = cache.take(instance.jobId, instance.revision);
        if (kept != null) {
            changed.forEach(step -> kept.put(step.stepKey, step.record()));
            return Uni.createFrom().item(kept);
        }
        // The query flushes this transaction's changed steps first, so it sees them too.
        return Panache.getSession().chain(session -> session.createSelectionQuery(QUERY, Object[].class)
                .setParameter(1, instance.jobId).getResultList()).map(rows -> {
                    TreeMap<String, StepRecord> records = new TreeMap<>();
                    for (Object[] row : rows) {
                        String key = (String) row[0];
                        records.put(key, new StepRecord(key, (String) row[1], (JsonNode) row[2], (JsonNode) row[3],
                                row[4] == null ? 0 : (Long) row[4]));
                    }
                    return records;
                });
    }

    /** Keeps the records an advance ended with under a fresh revision, which the advance writes to the row. */
    void keep(WorkflowInstanceEntity instance, TreeMap<String, StepRecord> records) {
        instance.revision = UUID.randomUUID().toString();
        cache.put(instance.jobId, instance.revision, records);
    }

    /** The instance ended: nothing to keep. */
    void forget(String jobId) {
        cache.forget(jobId);
    }
}
