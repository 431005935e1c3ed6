package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A job after its submission: applies worker results with the retry/fail/quarantine rules of
 * PROTOCOL.md §7, cancels, recovers tasks whose lease ran out and fails jobs past their deadline.
 * Every change is one transaction that locks the job row first; what it decided is told to others
 * only after the commit ({@link JobCommits}). The moves themselves are the states' own
 * ({@link JobState}, {@link TaskState}); the rules for a job's next attempt are {@link Attempts}'.
 */
@ApplicationScoped
public class JobLifecycle {

    private final Clock clock;
    private final JobCommits commits;
    private final JobStatements statements;
    private final JobBlobs blobs;
    private final Attempts attempts;

    public JobLifecycle(Clock clock, JobCommits commits, JobStatements statements, JobBlobs blobs,
            Attempts attempts) {
        this.clock = clock;
        this.commits = commits;
        this.statements = statements;
        this.blobs = blobs;
        this.attempts = attempts;
    }

    /**
     * Applies a worker's result. A success for the task its job runs takes one guarded statement
     * (the hot path); anything else, or a success whose guard does not hold, takes the locked path.
     */
    public Uni<ResultOutcome> applyResult(String workerId, TaskResult result) {
        if (!ResultStatus.SUCCESS.is(result.status())) {
            return applyLocked(workerId, result);
        }
        Map<String, Object> data = result.data() == null ? Map.of() : result.data();
        JobStatements.Success success = new JobStatements.Success(result.jobId(), result.taskId(), workerId, data,
                JobBlobs.metadataMap(result.dataMetadata()), blobs.owners(data, result.jobId()),
                Json.convert(result, Map.class), clock.millis());
        return statements.finish(success).chain(finished -> {
            if (finished.isEmpty()) {
                return applyLocked(workerId, result);
            }
            JobStatements.Finished job = finished.get();
            Outbox outbox = new Outbox().add(job.event());
            commits.committed(job.webhook() ? outbox : outbox.withoutWebhook(result.jobId()));
            return Uni.createFrom().item(ResultOutcome.accepted("success_transition"));
        });
    }

    /**
     * Checks, in order: the task exists, it has no result yet, it was handed to this worker, its
     * job still runs it; then moves task and job, with the job row locked.
     */
    private Uni<ResultOutcome> applyLocked(String workerId, TaskResult result) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> TaskEntity.<TaskEntity>findById(result.taskId()).chain(task -> {
            if (task == null || !task.jobId.equals(result.jobId())) {
                return item(ResultOutcome.ignored(IgnoredReason.JOB_NOT_FOUND.wire(),
                        "no task " + result.taskId() + " of job " + result.jobId()));
            }
            if (task.result != null) {
                return item(ResultOutcome.ignored(IgnoredReason.DUPLICATE.wire(), "task " + task.id
                        + " already has a result"));
            }
            if (!workerId.equals(task.workerId)) {
                return item(ResultOutcome.ignored(IgnoredReason.WORKER_MISMATCH.wire(),
                        "task " + task.id + " is not assigned to worker " + workerId));
            }
            return JobLocks.lock(task.jobId)
                    .chain(job -> new ResultRules(attempts, blobs, outbox, job, task, now).apply(result)
                            .call(outcome -> outcome.isAccepted() ? attempts.recordStatus(outbox, job, task.id)
                                    : item(null)));
        }));
    }

    /** Cancels a client's job; a running task is told to stop once the cancellation has committed. */
    public Uni<String> cancel(ClientIdentity client, String jobId) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> JobLocks.lock(jobId)
                .chain(job -> {
                    if (job == null || !job.clientId.equals(client.clientId())) {
                        throw new ResourceNotFoundException("job " + jobId + " not found");
                    }
                    if (!(job.state() instanceof JobState.Open open)) {
                        throw new ConflictException("job " + job.id + " is already " + job.status.wire());
                    }
                    job.moveTo(open.cancel(), now);
                    return stopCurrentTask(outbox, job, now).chain(() -> attempts.recordStatus(outbox, job,
                            job.currentTaskId)).replaceWith(job.id);
                }));
    }

    /**
     * Recovers a job whose current task lost its lease: the job row is locked so that two
     * orchestrators sweeping at once recover it once. Returns whether it was recovered here.
     */
    public Uni<Boolean> recoverExpired(String jobId) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> JobLocks.lock(jobId)
                .chain(job -> {
                    if (job == null || !(job.state() instanceof JobState.Running running)) {
                        return item(false);
                    }
                    return TaskEntity.<TaskEntity>findById(job.currentTaskId).chain(task -> {
                        if (task == null || !(task.state() instanceof TaskState.Expired)) {
                            return item(false);
                        }
                        job.error = Attempts.errorMap(new TaskError(ErrorCode.TIMEOUT_ERROR, "worker " + task.workerId
                                + " stopped renewing its lease on task " + task.id));
                        return attempts.retryOrQuarantine(outbox, job, running, now)
                                .chain(() -> attempts.recordStatus(outbox, job, task.id)).replaceWith(true);
                    });
                }));
    }

    /** Fails a job whose own deadline ({@code timeout_seconds}) passed, and asks its worker to stop. */
    public Uni<Boolean> expireDeadline(String jobId) {
        long now = clock.millis();
        return commits.inTransaction(outbox -> JobLocks.lock(jobId)
                .chain(job -> {
                    if (job == null || !(job.state() instanceof JobState.Open open) || job.deadlineAt == null
                            || job.deadlineAt > now) {
                        return item(false);
                    }
                    job.error = Attempts.errorMap(new TaskError(ErrorCode.TIMEOUT_ERROR, "job deadline of "
                            + job.timeoutSeconds + " s passed"));
                    job.moveTo(open.fail(), now);
                    return stopCurrentTask(outbox, job, now)
                            .chain(() -> attempts.recordStatus(outbox, job, job.currentTaskId)).replaceWith(true);
                }));
    }

    /** The job ended early: its current task is cancelled, and a worker running it is told to stop. */
    static Uni<Void> stopCurrentTask(Outbox outbox, JobEntity job, long now) {
        if (job.currentTaskId == null) {
            // A workflow job runs no task itself; its steps are stopped by JobEndings.
            return Uni.createFrom().voidItem();
        }
        return TaskEntity.<TaskEntity>findById(job.currentTaskId).invoke(task -> {
            Optional<TaskState> state = Optional.ofNullable(task).map(TaskEntity::state);
            if (state.orElse(null) instanceof TaskState.Pending pending) {
                task.moveTo(pending.cancel(), now);
                task.cancelRequested = true;
            } else if (state.orElse(null) instanceof TaskState.Assigned assigned) {
                task.moveTo(assigned.cancel(), now);
                task.cancelRequested = true;
                outbox.cancel(new CancelRequested(assigned.workerId(), job.id, task.id));
            }
        }).replaceWithVoid();
    }

    private static <T> Uni<T> item(T value) {
        return Uni.createFrom().item(value);
    }
}
