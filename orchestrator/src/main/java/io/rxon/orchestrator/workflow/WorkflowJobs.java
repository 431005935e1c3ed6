package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.InvalidParamsException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.job.ChildJobs;
import io.rxon.orchestrator.job.JobCommits;
import io.rxon.orchestrator.job.JobEndings;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.job.JobLocks;
import io.rxon.orchestrator.job.JobStatus;
import io.rxon.orchestrator.job.Outbox;
import io.rxon.orchestrator.job.WorkflowSubmissions;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Workflow jobs as the job lifecycle sees them: started from a {@code POST /api/v1/jobs} body,
 * advanced when one of their steps' jobs ends (in that job's transaction), stopped with all their
 * running steps when they end (signals they kept dropped); signals are {@link WorkflowSignals}.
 */
@ApplicationScoped
class WorkflowJobs implements WorkflowSubmissions, JobEndings {

    private static final Set<String> FIELDS = Set.of("workflow", "version", "input", "timeout_seconds");

    private final WorkflowRegistry registry;
    private final WorkflowEngine engine;
    private final ChildJobs children;
    private final JobCommits commits;
    private final StepHistory history;
    private final SignalBuffer signals;
    private final Clock clock;

    WorkflowJobs(WorkflowRegistry registry, WorkflowEngine engine, ChildJobs children, JobCommits commits,
            StepHistory history, SignalBuffer signals, Clock clock) {
        this.signals = signals;
        this.history = history;
        this.registry = registry;
        this.engine = engine;
        this.children = children;
        this.commits = commits;
        this.clock = clock;
    }

    @Override
    public Uni<String> submit(ClientIdentity client, JsonNode body) {
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new InvalidRequestException("unknown field '" + field + "' in a workflow job; expected " + FIELDS);
            }
        });
        String name = body.path("workflow").asText("");
        if (!body.path("workflow").isTextual() || !DefinitionReader.NAME.matcher(name).matches()) {
            throw new InvalidRequestException("workflow must be a workflow name");
        }
        JsonNode version = body.path("version");
        if (!version.isMissingNode() && !version.isNull() && !version.isTextual()) {
            throw new InvalidRequestException("version must be a string");
        }
        JsonNode input = body.has("input") ? body.get("input") : Expressions.MAPPER.createObjectNode();
        if (!input.isObject()) {
            throw new InvalidRequestException("input must be an object");
        }
        JsonNode timeout = body.path("timeout_seconds");
        if (!timeout.isMissingNode() && !(timeout.canConvertToInt() && timeout.asInt() > 0)) {
            throw new InvalidRequestException("timeout_seconds must be a positive whole number");
        }
        return registry.find(name, version.isTextual() ? version.asText() : null)
                .chain(definition -> start(client, definition, input, timeout.isMissingNode() ? null : timeout.asInt()));
    }

    private Uni<String> start(ClientIdentity client, WorkflowDefinition definition, JsonNode input, Integer timeout) {
        List<String> violations = definition.input().validate(Expressions.MAPPER.convertValue(input, Object.class));
        if (!violations.isEmpty()) {
            throw new InvalidParamsException("input does not match the input schema of workflow " + definition.name()
                    + ": " + String.join("; ", violations), violations);
        }
        long now = clock.millis();
        Integer seconds = timeout != null ? timeout : definition.timeoutSeconds();
        return commits.inTransaction(outbox -> children.createWorkflow(outbox, null, client.clientId(),
                definition.name(), seconds, null, now).chain(job -> {
                    WorkflowInstanceEntity instance = new WorkflowInstanceEntity();
                    instance.jobId = job.id;
                    instance.name = definition.name();
                    instance.version = definition.version();
                    instance.input = input;
                    return instance.persist().chain(() -> engine.advance(outbox, job, now, List.of())).replaceWith(job.id);
                }));
    }

    @Override
    public Uni<Void> ended(Outbox outbox, JobEntity job, long now) {
        if (job.workflow != null) {
            history.forget(job.id);
        }
        Uni<Void> stopped = job.workflow == null ? Uni.createFrom().voidItem()
                : stopSteps(outbox, job, now).chain(() -> signals.drop(job.id));
        return stopped.chain(() -> job.parentJobId == null ? Uni.createFrom().voidItem()
                : stepJobEnded(outbox, job, now));
    }

    /** The workflow ended (finished, failed, cancelled, timed out): every step still running is cancelled. */
    private Uni<Void> stopSteps(Outbox outbox, JobEntity job, long now) {
        return WorkflowStepEntity.<WorkflowStepEntity>list("jobId = ?1 and status = ?2", job.id, StepRecord.RUNNING)
                .chain(steps -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (WorkflowStepEntity step : steps) {
                        chain = chain.chain(() -> engine.abandon(outbox, job, step, now));
                    }
                    return chain;
                });
    }

    /** The job of a step ended: the step takes its outcome and its workflow advances. */
    private Uni<Void> stepJobEnded(Outbox outbox, JobEntity child, long now) {
        // Every path that ends a step job locked the workflow job before it (JobLocks), so this finds it
        // locked already; the step is read under that lock: one another transaction abandoned meanwhile
        // (a lost compete) is seen as such and not overwritten.
        return JobEntity.<JobEntity>findById(child.parentJobId, LockModeType.PESSIMISTIC_WRITE).chain(parent -> parent == null
                ? Uni.createFrom().voidItem()
                : WorkflowStepEntity.<WorkflowStepEntity>find("childJobId", child.id).firstResult()
                        .chain(step -> step == null ? Uni.createFrom().voidItem()
                                : finishStep(outbox, parent, step, child, now)));
    }

    private Uni<Void> finishStep(Outbox outbox, JobEntity parent, WorkflowStepEntity step, JobEntity child, long now) {
        if (!StepRecord.RUNNING.equals(step.status)) {
            return Uni.createFrom().voidItem();
        }
        step.status = child.status == JobStatus.FINISHED ? StepRecord.SUCCEEDED
                : child.status == JobStatus.CANCELLED ? StepRecord.CANCELLED : StepRecord.FAILED;
        step.output = child.status == JobStatus.FINISHED ? Expressions.MAPPER.valueToTree(child.result) : null;
        step.error = child.status == JobStatus.FINISHED ? null
                : Errors.ofJob(child.error, child.status == JobStatus.CANCELLED ? "CANCELLED" : "TRANSIENT_ERROR",
                        "step job " + child.id + " " + child.status.wire());
        step.attempts = child.attempts;
        step.workerId = child.assignedWorkerId;
        step.finishedAt = now;
        return engine.stepEvent(outbox, parent, step, "step_finished")
                .chain(() -> engine.advance(outbox, parent, now, List.of(step)));
    }

    /** A timer step is due, or a sub-workflow waits to start: advanced in a transaction of its own. */
    Uni<Void> wake(String jobId, String dueStepId) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> JobLocks.lock(jobId)
                .chain(job -> {
                    if (job == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<List<WorkflowStepEntity>> prepared = dueStepId == null
                            ? WorkflowInstanceEntity.<WorkflowInstanceEntity>findById(jobId)
                                    .invoke(instance -> instance.wakeAt = null).replaceWith(List.of())
                            : WorkflowStepEntity.<WorkflowStepEntity>findById(dueStepId).chain(step -> {
                                if (step == null || !StepRecord.RUNNING.equals(step.status)) {
                                    return Uni.createFrom().item(List.<WorkflowStepEntity>of());
                                }
                                step.status = StepRecord.SUCCEEDED;
                                step.finishedAt = now;
                                return engine.stepEvent(outbox, job, step, "step_finished").replaceWith(List.of(step));
                            });
                    return prepared.chain(changed -> engine.advance(outbox, job, now, changed));
                }));
    }
}
