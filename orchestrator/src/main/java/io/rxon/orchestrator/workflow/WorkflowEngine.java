package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.events.EventService;
import io.rxon.orchestrator.job.ChildJobs;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.job.JobState;
import io.rxon.orchestrator.job.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Advances workflow instances, always inside the transaction of what happened (a step's job
 * ended, a signal, a timer) and with the workflow job's row locked: replays the instance
 * ({@link Replay}) against its step records ({@link StepHistory}: kept in memory between
 * advances, so a step end reads only that step), starts the steps it asks for, abandons those it
 * no longer waits for, and ends the workflow job when the replay ends. Whatever committed is the instance's state, so a crash
 * at any point leaves either the old state (the event is handled again) or the new one.
 */
@ApplicationScoped
class WorkflowEngine {

    private final WorkflowRegistry registry;
    private final StepStarter starter;
    private final ChildJobs children;
    private final EventService events;
    private final StepHistory history;
    private final int limit;

    WorkflowEngine(WorkflowRegistry registry, StepStarter starter, ChildJobs children, EventService events,
            StepHistory history, OrchestratorConfig config) {
        this.history = history;
        this.registry = registry;
        this.starter = starter;
        this.children = children;
        this.events = events;
        this.limit = config.workflows().transitionLimit();
    }

    /**
     * Advances the instance of {@code job} (locked by the caller) as far as it goes now;
     * {@code changed} are the steps the caller's transaction ended just before (applied to the
     * records kept from the last advance, see {@link StepHistory}).
     */
    Uni<Void> advance(Outbox outbox, JobEntity job, long now, List<WorkflowStepEntity> changed) {
        if (!(job.state() instanceof JobState.Running)) {
            return Uni.createFrom().voidItem();
        }
        return WorkflowInstanceEntity.<WorkflowInstanceEntity>findById(job.id).chain(instance -> instance == null
                ? Uni.createFrom().voidItem()
                : registry.find(instance.name, instance.version)
                        .chain(definition -> history.of(instance, changed)
                                .chain(records -> replay(outbox, job, instance, definition, records, now))));
    }

    private Uni<Void> replay(Outbox outbox, JobEntity job, WorkflowInstanceEntity instance,
            WorkflowDefinition definition, TreeMap<String, StepRecord> records, long now) {
        Replay.Result result = new Replay(definition, job.id, instance.input, records, limit).run(instance.input);
        instance.transitions = result.transitions();
        boolean[] again = {false};
        Uni<Void> started = each(result.starts(), start -> starter.start(outbox, job, start, now)
                .chain(step -> {
                    records.put(step.stepKey, step.record());
                    boolean ended = !StepRecord.RUNNING.equals(step.status);
                    again[0] |= ended;
                    // A step can end as it starts (refused arguments, a signal kept for it): both events.
                    return stepEvent(outbox, job, step, "step_started")
                            .chain(() -> ended ? stepEvent(outbox, job, step, "step_finished")
                                    : Uni.createFrom().voidItem());
                }));
        return started.chain(() -> each(result.abandoned(), key -> abandon(outbox, job, key, records, now)))
                .chain(() -> each(result.branches(), branch -> branchEvent(outbox, job, branch, now)))
                .chain(() -> {
                    if (again[0]) {
                        // A step ended as it started (failed, or took a kept signal): replay at once, so the
                        // instance takes the path that follows.
                        return replay(outbox, job, instance, definition, records, now);
                    }
                    if (result.outcome() instanceof Outcome.Blocked) {
                        history.keep(instance, records);
                        return Uni.createFrom().voidItem();
                    }
                    history.forget(job.id);
                    return conclude(outbox, job, result.outcome(), now);
                });
    }

    /** A running step the replay no longer waits for, by key: abandoned, and so recorded. */
    private Uni<Void> abandon(Outbox outbox, JobEntity job, String key, TreeMap<String, StepRecord> records,
            long now) {
        return WorkflowStepEntity.<WorkflowStepEntity>find("jobId = ?1 and stepKey = ?2", job.id, key).firstResult()
                .chain(step -> abandon(outbox, job, step, now).invoke(() -> {
                    if (step != null) {
                        records.put(step.stepKey, step.record());
                    }
                }));
    }

    private Uni<Void> conclude(Outbox outbox, JobEntity job, Outcome outcome, long now) {
        if (outcome instanceof Outcome.Done done) {
            return children.end(outbox, job, resultOf(done.output()), null, now);
        }
        if (outcome instanceof Outcome.Ended ended) {
            return children.end(outbox, job, resultOf(ended.output()), null, now);
        }
        if (outcome instanceof Outcome.Faulted faulted) {
            Map<String, Object> error = new HashMap<>();
            error.put("code", faulted.error().path("code").asText(faulted.error().path("type").asText("RAISED")));
            error.put("message", faulted.error().path("detail").asText(""));
            error.put("details", Expressions.MAPPER.convertValue(faulted.error(), Map.class));
            return children.end(outbox, job, null, error, now);
        }
        return Uni.createFrom().voidItem();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resultOf(JsonNode output) {
        if (output != null && output.isObject()) {
            return Expressions.MAPPER.convertValue(output, Map.class);
        }
        Map<String, Object> wrapped = new HashMap<>();
        wrapped.put("output", Expressions.MAPPER.convertValue(output, Object.class));
        return wrapped;
    }

    /** A running step the instance no longer needs (a losing or failed branch): cancelled, with its job. */
    Uni<Void> abandon(Outbox outbox, JobEntity job, WorkflowStepEntity step, long now) {
        if (step == null || !StepRecord.RUNNING.equals(step.status)) {
            return Uni.createFrom().voidItem();
        }
        step.status = StepRecord.CANCELLED;
        step.finishedAt = now;
        step.error = Errors.of("CANCELLED", 409, "the workflow no longer needs step " + step.stepKey);
        Uni<Void> stopped = step.childJobId == null ? Uni.createFrom().voidItem()
                : children.cancel(outbox, step.childJobId, now);
        return stopped.chain(() -> stepEvent(outbox, job, step, "step_finished"));
    }

    /**
     * {@code branch_started} when a fork branch or {@code for} item started its first step in this
     * transaction, {@code branch_finished} when its last step ended in it.
     */
    private Uni<Void> branchEvent(Outbox outbox, JobEntity job, Replay.Branch branch, long now) {
        String type = branch.done() ? (branch.at() == now ? "branch_finished" : null)
                : (branch.startedBefore() ? null : "branch_started");
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        return events.store(UUID.randomUUID().toString(), job.id, null, null, type, Map.of("branch", branch.key()))
                .invoke(outbox::add).replaceWithVoid();
    }

    /** Records a step event on the workflow job ({@code step_started}, {@code step_finished}). */
    Uni<Void> stepEvent(Outbox outbox, JobEntity job, WorkflowStepEntity step, String type) {
        if (job.webhookUrl == null) {
            // A step_finished names its worker, which would make the after-commit hook look the webhook up.
            outbox.withoutWebhook(job.id);
        }
        Map<String, Object> payload = new HashMap<>();
        payload.put("step", step.stepKey);
        payload.put("task", step.task);
        payload.put("kind", step.kind);
        payload.put("status", step.status);
        if (step.childJobId != null) {
            payload.put("child_job_id", step.childJobId);
        }
        if (step.error != null) {
            payload.put("error", Expressions.MAPPER.convertValue(step.error, Map.class));
        }
        return events.store(UUID.randomUUID().toString(), job.id, null, step.workerId, type, payload)
                .invoke(outbox::add).replaceWithVoid();
    }

    /** Runs {@code step} for each item, one after the other (one session allows one operation at a time). */
    private static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> step.apply(item));
        }
        return chain;
    }
}
