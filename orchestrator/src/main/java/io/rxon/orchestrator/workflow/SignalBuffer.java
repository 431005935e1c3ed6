package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.error.ConflictException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Signals that came before a listen step for them waits, kept per instance in PostgreSQL (so any
 * replica sees them, and a crash loses none) and taken, oldest first, by the first listen step
 * for their name that starts. Always under the workflow job's row lock.
 */
@ApplicationScoped
class SignalBuffer {

    /** Signals one instance may hold that no step has taken: a client that sends too many is refused. */
    static final int LIMIT = 100;

    /** Keeps a signal for a later listen step of {@code jobId}. */
    Uni<Void> keep(String jobId, String name, JsonNode payload, long now) {
        return WorkflowSignalEntity.count("jobId", jobId).chain(held -> {
            if (held >= LIMIT) {
                throw new ConflictException("job " + jobId + " holds " + LIMIT
                        + " signals no step has taken yet; no more are kept");
            }
            WorkflowSignalEntity signal = new WorkflowSignalEntity();
            signal.jobId = jobId;
            signal.name = name;
            signal.payload = payload;
            signal.receivedAt = now;
            return signal.persist().replaceWithVoid();
        });
    }

    /** A listen step starts: it takes the oldest kept signal it waits for, if there is one. */
    Uni<Void> take(WorkflowStepEntity step, long now) {
        List<String> names = List.of(step.signal.split(","));
        return WorkflowSignalEntity.<WorkflowSignalEntity>find("jobId = ?1 and name in ?2 order by id", step.jobId, names)
                .firstResult().chain(signal -> {
                    if (signal == null) {
                        return Uni.createFrom().voidItem();
                    }
                    step.status = StepRecord.SUCCEEDED;
                    step.output = signal.payload;
                    step.signal = signal.name;
                    step.finishedAt = now;
                    return signal.delete();
                });
    }

    /** The instance ended: what it kept is of no use. */
    Uni<Void> drop(String jobId) {
        return WorkflowSignalEntity.delete("jobId", jobId).replaceWithVoid();
    }
}
