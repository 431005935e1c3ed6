package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.protocol.TaskError;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.events.EventService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A job's attempts and the lifecycle events that record its moves: the rule for a next attempt
 * (retry while attempts remain, else quarantine) and the event each new job state is announced by.
 * Both run inside the caller's transaction.
 */
@ApplicationScoped
public class Attempts {

    private final EventService events;
    private final JobEndings endings;

    public Attempts(EventService events, JobEndings endings) {
        this.events = events;
        this.endings = endings;
    }

    /** Queues a new attempt when attempts remain, else quarantines the job; returns whether it retries. */
    Uni<Boolean> retryOrQuarantine(Outbox outbox, JobEntity job, JobState.Running running, long now) {
        if (job.attempts >= job.maxAttempts) {
            job.moveTo(running.quarantine(), now);
            return Uni.createFrom().item(false);
        }
        TaskEntity next = newAttempt(job, job.attempts + 1, now);
        job.moveTo(running.retry(), now);
        outbox.queued(new PendingTask(next.id, next.type, requirements(job.requirements)));
        return next.persist().replaceWith(true);
    }

    /** Records the job's new state as a lifecycle event: an ended one ends SSE streams. */
    Uni<Void> recordStatus(Outbox outbox, JobEntity job, String taskId) {
        JobState state = job.state();
        String type = state instanceof JobState.Ended ended ? ended.eventType()
                : state instanceof JobState.Waiting ? "task_retried" : "job_" + job.status.wire();
        Map<String, Object> payload = new HashMap<>();
        payload.put("status", job.status.wire());
        payload.put("attempts", job.attempts);
        if (job.error != null) {
            payload.put("error", job.error);
        }
        if (job.webhookUrl == null) {
            // Known here: the after-commit hook need not look the job's webhook up (step jobs never have one).
            outbox.withoutWebhook(job.id);
        }
        return events.store(UUID.randomUUID().toString(), job.id, taskId, job.assignedWorkerId, type, payload)
                .invoke(outbox::add)
                .chain(() -> state instanceof JobState.Ended && (job.parentJobId != null || job.workflow != null)
                        ? endings.ended(outbox, job, job.updatedAt) : Uni.createFrom().voidItem());
    }

    private static TaskEntity newAttempt(JobEntity job, int attempt, long now) {
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID().toString();
        task.jobId = job.id;
        task.attempt = attempt;
        task.type = job.type;
        task.priority = job.priority;
        task.requirements = job.requirements;
        task.status = new TaskState.Pending().status();
        task.createdAt = now;
        job.currentTaskId = task.id;
        return task;
    }

    static Map<String, Object> errorMap(TaskError error) {
        return Json.convert(error, Map.class);
    }

    /** A job's requirements as the matcher reads them; malformed ones are the client's error. */
    static Requirements requirements(Map<String, Object> requirements) {
        if (requirements == null || requirements.isEmpty()) {
            return Requirements.NONE;
        }
        try {
            return Json.convert(requirements, Requirements.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid requirements: " + e.getMessage(), e);
        }
    }
}
