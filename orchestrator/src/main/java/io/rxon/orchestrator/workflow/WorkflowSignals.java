package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.job.JobCommits;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.job.JobLocks;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Signals to workflow jobs ({@code POST /api/v1/jobs/{id}/signals/{name}}): the oldest listen step
 * that waits for the signal takes it and the instance advances, in one transaction with the job
 * locked; when none waits yet, the signal is kept for the first that will ({@link SignalBuffer}).
 * A signal the workflow never listens for, or one for a job that ended, is a conflict.
 */
@ApplicationScoped
class WorkflowSignals {

    private final WorkflowRegistry registry;
    private final WorkflowEngine engine;
    private final SignalBuffer buffer;
    private final JobCommits commits;
    private final Clock clock;

    WorkflowSignals(WorkflowRegistry registry, WorkflowEngine engine, SignalBuffer buffer, JobCommits commits,
            Clock clock) {
        this.registry = registry;
        this.engine = engine;
        this.buffer = buffer;
        this.commits = commits;
        this.clock = clock;
    }

    /** The key of the step that took the signal, or empty when it was kept for a step to come. */
    Uni<Optional<String>> signal(ClientIdentity client, String jobId, String signal, JsonNode payload) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> JobLocks.lock(jobId)
                .chain(job -> {
                    if (job == null || !job.clientId.equals(client.clientId()) || job.workflow == null) {
                        throw new ResourceNotFoundException("workflow job " + jobId + " not found");
                    }
                    if (job.status.isTerminal()) {
                        throw new ConflictException("job " + jobId + " is already " + job.status.wire());
                    }
                    return WorkflowStepEntity.<WorkflowStepEntity>list(
                            "jobId = ?1 and kind = 'listen' and status = ?2 order by startedAt, stepKey", jobId,
                            StepRecord.RUNNING).chain(listening -> {
                                Optional<WorkflowStepEntity> step = listening.stream()
                                        .filter(candidate -> Signals.waitsFor(candidate.signal, signal)).findFirst();
                                if (step.isEmpty()) {
                                    return keep(job, signal, payload, now).replaceWith(Optional.<String>empty());
                                }
                                WorkflowStepEntity taking = step.get();
                                taking.status = StepRecord.SUCCEEDED;
                                taking.output = payload;
                                taking.signal = signal;
                                taking.finishedAt = now;
                                return engine.stepEvent(outbox, job, taking, "step_finished")
                                        .chain(() -> engine.advance(outbox, job, now, List.of(taking)))
                                        .replaceWith(Optional.of(taking.stepKey));
                            });
                }));
    }

    private Uni<Void> keep(JobEntity job, String signal, JsonNode payload, long now) {
        return WorkflowInstanceEntity.<WorkflowInstanceEntity>findById(job.id).chain(instance -> {
            if (instance == null) {
                throw new ResourceNotFoundException("workflow job " + job.id + " not found");
            }
            return registry.find(instance.name, instance.version);
        }).chain(definition -> {
            if (!Signals.declared(definition.tree()).contains(signal)) {
                throw new ConflictException("workflow " + definition.name() + " has no step that listens for signal '"
                        + signal + "'");
            }
            return buffer.keep(job.id, signal, payload, now);
        });
    }
}
