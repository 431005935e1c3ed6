package io.rxon.orchestrator.job;

import io.rxon.orchestrator.events.EventService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Map;
import java.util.UUID;

/**
 * The moves of jobs that a workflow makes inside its own transaction (docs/WORKFLOWS.md): creating
 * the job of a step (a skill call with its first pending attempt, or a sub-workflow), cancelling
 * one, and ending a workflow job. Ends are recorded like every other ({@link Attempts#recordStatus}),
 * so {@link JobEndings} hears of them too and a chain of parents advances in the same transaction.
 */
@ApplicationScoped
public class ChildJobs {

    private final Attempts attempts;
    private final EventService events;

    public ChildJobs(Attempts attempts, EventService events) {
        this.attempts = attempts;
        this.events = events;
    }

    /** What a skill call asks for: the task a worker will run. */
    public record Call(String skill, Map<String, Object> params, Map<String, Object> requirements, double priority,
            Integer timeoutSeconds, int maxAttempts) {}

    /** Creates the job of a skill call with its first, pending attempt; dispatch hears of it after the commit. */
    public Uni<JobEntity> createCall(Outbox outbox, JobEntity parent, Call call, long now) {
        JobEntity job = newJob(parent, call.skill(), now);
        job.params = call.params();
        job.requirements = call.requirements() == null || call.requirements().isEmpty() ? null : call.requirements();
        job.priority = call.priority();
        job.maxAttempts = call.maxAttempts();
        job.timeoutSeconds = call.timeoutSeconds();
        job.deadlineAt = call.timeoutSeconds() == null ? null : now + call.timeoutSeconds() * 1000L;
        job.status = new JobState.Waiting().status();
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID().toString();
        task.jobId = job.id;
        task.attempt = 1;
        task.type = job.type;
        task.priority = job.priority;
        task.requirements = job.requirements;
        task.status = new TaskState.Pending().status();
        task.createdAt = now;
        job.currentTaskId = task.id;
        return job.persist().chain(task::persist).chain(() -> created(outbox, job, task.id))
                .invoke(() -> outbox.queued(new PendingTask(task.id, task.type, Attempts.requirements(job.requirements))))
                .replaceWith(job);
    }

    /** Creates a workflow job: it runs no task itself, so it is running from the start, on no worker. */
    public Uni<JobEntity> createWorkflow(Outbox outbox, JobEntity parent, String clientId, String workflow,
            Integer timeoutSeconds, String webhookUrl, long now) {
        JobEntity job = newJob(parent, workflow, now);
        job.clientId = clientId;
        job.workflow = workflow;
        job.maxAttempts = 1;
        job.timeoutSeconds = timeoutSeconds;
        job.deadlineAt = timeoutSeconds == null ? null : now + timeoutSeconds * 1000L;
        job.webhookUrl = webhookUrl;
        job.status = new JobState.Running(null).status();
        return job.persist().chain(() -> created(outbox, job, null)).replaceWith(job);
    }

    /** Cancels an open job (a step whose workflow no longer needs it) and tells its worker to stop. */
    public Uni<Void> cancel(Outbox outbox, String jobId, long now) {
        return JobEntity.<JobEntity>findById(jobId, LockModeType.PESSIMISTIC_WRITE).chain(job -> {
            if (job == null || !(job.state() instanceof JobState.Open open)) {
                return Uni.createFrom().voidItem();
            }
            job.moveTo(open.cancel(), now);
            return JobLifecycle.stopCurrentTask(outbox, job, now).chain(() -> attempts.recordStatus(outbox, job, job.currentTaskId));
        });
    }

    /** Ends a running workflow job: finished with {@code result}, or failed with {@code error}. */
    public Uni<Void> end(Outbox outbox, JobEntity job, Map<String, Object> result, Map<String, Object> error,
            long now) {
        if (!(job.state() instanceof JobState.Running running)) {
            return Uni.createFrom().voidItem();
        }
        job.result = result;
        job.error = error;
        job.moveTo(error == null ? running.finish() : running.fail(), now);
        return attempts.recordStatus(outbox, job, null);
    }

    private Uni<Void> created(Outbox outbox, JobEntity job, String taskId) {
        return events.store(UUID.randomUUID().toString(), job.id, taskId, null, "job_created",
                Map.of("type", job.type, "priority", job.priority)).invoke(outbox::add).replaceWithVoid();
    }

    private static JobEntity newJob(JobEntity parent, String type, long now) {
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID().toString();
        job.type = type;
        job.createdAt = now;
        job.updatedAt = now;
        if (parent != null) {
            job.parentJobId = parent.id;
            job.clientId = parent.clientId;
            job.security = parent.security;
            job.metadata = parent.metadata;
        }
        return job;
    }
}
