package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.job.ChildJobs;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.job.Outbox;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.contract.Contracts;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Starts the external steps a replay asked for, inside the transaction of the replay: a skill
 * call becomes a child job with its pending task, a sub-workflow a child workflow job (started by
 * the next tick, {@link WorkflowTicker}), a timer a due time, a listen step a wait for its signal (or the oldest kept signal for it, {@link SignalBuffer}).
 * A step that cannot start (bad arguments, params the skill's declared input schema refuses, an
 * unknown sub-workflow) is stored as failed at once, with {@code INVALID_INPUT_ERROR}.
 */
@ApplicationScoped
class StepStarter {

    /** Deepest nesting of sub-workflows. */
    static final int MAX_DEPTH = 10;

    private final ChildJobs children;
    private final WorkflowRegistry registry;
    private final OrchestratorConfig config;
    private final Contracts contracts;
    private final SignalBuffer signals;

    StepStarter(ChildJobs children, WorkflowRegistry registry, OrchestratorConfig config, Contracts contracts,
            SignalBuffer signals) {
        this.signals = signals;
        this.contracts = contracts;
        this.children = children;
        this.registry = registry;
        this.config = config;
    }

    Uni<WorkflowStepEntity> start(Outbox outbox, JobEntity job, Replay.Start start, long now) {
        WorkflowStepEntity step = new WorkflowStepEntity();
        step.id = UUID.randomUUID().toString();
        step.jobId = job.id;
        step.stepKey = start.key();
        step.task = start.task();
        step.kind = start.kind();
        step.status = StepRecord.RUNNING;
        step.startedAt = now;
        Uni<Void> begun = switch (start.kind()) {
            case "call" -> call(outbox, job, step, start.spec(), now);
            case "run" -> run(outbox, job, step, start.spec(), now);
            case "wait" -> {
                step.dueAt = now + start.spec().asLong();
                yield Uni.createFrom().voidItem();
            }
            default -> {
                step.signal = start.spec().asText();
                // A signal that came before the step: taken at once, and the step ends as it starts.
                yield signals.take(step, now);
            }
        };
        return begun.onFailure(StepStarter::isRefusal).recoverWithItem(e -> {
            step.status = StepRecord.FAILED;
            step.finishedAt = now;
            step.error = Errors.of("INVALID_INPUT_ERROR", 400, start.key() + ": " + e.getMessage());
            return null;
        }).chain(() -> step.persist()).replaceWith(step);
    }

    private static boolean isRefusal(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof ResourceNotFoundException
                || e instanceof InvalidRequestException;
    }

    @SuppressWarnings("unchecked")
    private Uni<Void> call(Outbox outbox, JobEntity job, WorkflowStepEntity step, JsonNode with, long now) {
        JsonNode params = with.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            return Uni.createFrom().failure(new IllegalArgumentException("params must be an object"));
        }
        JsonNode requirements = with.path("requirements");
        Integer timeout = with.has("timeout") ? (int) Math.max(1, (Durations.millis(with.path("timeout")) + 999) / 1000)
                : null;
        ChildJobs.Call call = new ChildJobs.Call(with.path("skill").asText(),
                params.isObject() ? Expressions.MAPPER.convertValue(params, Map.class) : Map.of(),
                requirements.isObject() ? Expressions.MAPPER.convertValue(requirements, Map.class) : null,
                with.path("priority").asDouble(job.priority), timeout,
                Math.max(1, Math.min(config.jobs().maxAttemptsLimit(),
                        with.path("max_attempts").asInt(config.jobs().maxAttempts()))));
        try {
            // The skill's declared input schema, as for a plain job's params at submit.
            contracts.checkParams(call.skill(), call.params());
        } catch (InvalidRequestException e) {
            return Uni.createFrom().failure(e);
        }
        return children.createCall(outbox, job, call, now).invoke(child -> step.childJobId = child.id).replaceWithVoid();
    }

    private Uni<Void> run(Outbox outbox, JobEntity job, WorkflowStepEntity step, JsonNode workflow, long now) {
        String version = workflow.path("version").isTextual() ? workflow.path("version").asText() : null;
        return depth(job.parentJobId, 1).chain(depth -> {
            if (depth >= MAX_DEPTH) {
                // A workflow that runs itself would nest forever: each level has a transition limit of its own.
                throw new IllegalArgumentException("sub-workflows nest deeper than " + MAX_DEPTH + " levels");
            }
            return start(outbox, job, step, workflow, version, now);
        });
    }

    /** How many workflow jobs enclose the one whose parent is {@code parentJobId}, itself included. */
    private static Uni<Integer> depth(String parentJobId, int depth) {
        if (parentJobId == null || depth >= MAX_DEPTH) {
            return Uni.createFrom().item(depth);
        }
        return JobEntity.<JobEntity>findById(parentJobId)
                .chain(parent -> depth(parent == null ? null : parent.parentJobId, depth + 1));
    }

    private Uni<Void> start(Outbox outbox, JobEntity job, WorkflowStepEntity step, JsonNode workflow, String version,
            long now) {
        return registry.find(workflow.path("name").asText(), version).chain(definition -> children
                .createWorkflow(outbox, job, job.clientId, definition.name(), definition.timeoutSeconds(), null, now)
                .chain(child -> {
                    step.childJobId = child.id;
                    WorkflowInstanceEntity instance = new WorkflowInstanceEntity();
                    instance.jobId = child.id;
                    instance.name = definition.name();
                    instance.version = definition.version();
                    instance.input = workflow.has("input") ? workflow.get("input") : Expressions.MAPPER.createObjectNode();
                    // Started by the next tick, in a transaction of its own: advancing it here could end it,
                    // which would advance this instance again while it is being advanced.
                    instance.wakeAt = now;
                    return instance.persist().replaceWithVoid();
                }));
    }
}
