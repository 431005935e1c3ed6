package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import io.rxon.orchestrator.blob.JobBlobs;
import io.rxon.orchestrator.cluster.ClusterBroadcast;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.contract.Contracts;
import io.rxon.orchestrator.dispatch.PendingTask;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.events.EventService;
import io.rxon.orchestrator.events.Outbox;
import io.rxon.orchestrator.security.ClientIdentity;
import io.rxon.orchestrator.task.TaskEntity;
import io.rxon.orchestrator.task.TaskStatus;
import io.rxon.orchestrator.webhook.WebhookAddressPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Jobs from submission to their end: creates a job with its first task attempt, applies worker
 * results with the retry/fail/quarantine rules of PROTOCOL.md §7, cancels, and recovers tasks
 * whose lease ran out. Every write is one transaction; tasks that become pending are returned so
 * the caller offers them to workers after the commit.
 */
@ApplicationScoped
public class JobService {

    static final int MAX_PAGE = 500;

    private final Clock clock;
    private final OrchestratorConfig config;
    private final EventService events;
    private final JobBlobs blobs;
    private final JobStatements statements;
    private final ClusterBroadcast broadcast;
    private final WebhookAddressPolicy webhooks;
    private final Contracts contracts;

    public JobService(Clock clock, OrchestratorConfig config, EventService events, JobBlobs blobs,
            JobStatements statements, ClusterBroadcast broadcast, WebhookAddressPolicy webhooks, Contracts contracts) {
        this.broadcast = broadcast;
        this.contracts = contracts;
        this.webhooks = webhooks;
        this.clock = clock;
        this.config = config;
        this.events = events;
        this.blobs = blobs;
        this.statements = statements;
    }

    /** A stored job and its first attempt, ready to be offered. */
    public record Submitted(String jobId, PendingTask task) {}

    /**
     * Submits a job: validates it, prepares its blobs (references checked, params offloaded when
     * large: docs/BLOBS.md) outside any transaction, then stores it; a blob written for a job that
     * could not be stored is removed again.
     */
    public Uni<Submitted> submit(ClientIdentity client, JobRequest request) {
        Requirements requirements = parseRequirements(request.requirements());
        int maxAttempts = request.maxAttempts() == null ? config.jobs().maxAttempts() : request.maxAttempts();
        if (maxAttempts > config.jobs().maxAttemptsLimit()) {
            throw new InvalidRequestException("max_attempts must be at most " + config.jobs().maxAttemptsLimit());
        }
        if (request.webhookUrl() != null
                && webhooks.check(request.webhookUrl()) instanceof WebhookAddressPolicy.Refused refused) {
            throw new InvalidRequestException("webhook_url is refused: " + refused.reason());
        }
        contracts.checkParams(request.type(), request.params());
        String jobId = UUID.randomUUID().toString();
        return blobs.prepare(client, jobId, request.params())
                .chain(prepared -> create(client, jobId, request, requirements, maxAttempts, prepared)
                        .onFailure().call(() -> prepared.offloaded() ? blobs.discard(jobId)
                                : Uni.createFrom().voidItem()));
    }

    private Uni<Submitted> create(ClientIdentity client, String jobId, JobRequest request, Requirements requirements,
            int maxAttempts, JobBlobs.Prepared prepared) {
        long now = clock.millis();
        String taskId = UUID.randomUUID().toString();
        JobStatements.NewJob job = new JobStatements.NewJob(jobId, client.clientId(), request.type(),
                prepared.params(), prepared.paramsMetadataMap(), prepared.owners().isEmpty() ? null : prepared.owners(),
                request.requirements(),
                request.priority() == null ? 0.0 : request.priority(), maxAttempts, request.timeoutSeconds(),
                request.webhookUrl(), taskId,
                request.security() == null ? null : Json.convert(request.security(), Map.class), request.metadata(),
                now, request.timeoutSeconds() == null ? null : now + request.timeoutSeconds() * 1000L);
        return statements.insert(job).map(created -> {
            broadcast.committed(List.of(created), List.of(taskId));
            return new Submitted(jobId, new PendingTask(taskId, request.type(), requirements));
        });
    }

    @WithSession
    public Uni<JobEntity> get(ClientIdentity client, String jobId) {
        return JobEntity.<JobEntity>findById(jobId).map(job -> owned(client, jobId, job));
    }

    /** Another client's job is reported exactly like a missing one. */
    private static JobEntity owned(ClientIdentity client, String jobId, JobEntity job) {
        if (job == null || !job.clientId.equals(client.clientId())) {
            throw new ResourceNotFoundException("job " + jobId + " not found");
        }
        return job;
    }

    /** The client's jobs, newest first, optionally of one status; the cursor is opaque to clients. */
    @WithSession
    public Uni<JobPage> list(ClientIdentity client, Optional<JobStatus> status, int limit, Optional<String> cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        Cursor after = cursor.map(Cursor::decode).orElse(null);
        StringBuilder query = new StringBuilder("clientId = :client");
        Map<String, Object> parameters = new HashMap<>(Map.of("client", client.clientId()));
        status.ifPresent(value -> {
            query.append(" and status = :status");
            parameters.put("status", value);
        });
        if (after != null) {
            query.append(" and (createdAt < :createdAt or (createdAt = :createdAt and id < :id))");
            parameters.put("createdAt", after.createdAt());
            parameters.put("id", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return JobEntity.<JobEntity>find(query.toString(), parameters).page(0, limit + 1).list().map(jobs -> {
            boolean more = jobs.size() > limit;
            List<JobEntity> page = more ? jobs.subList(0, limit) : jobs;
            String next = more ? new Cursor(page.get(limit - 1).createdAt, page.get(limit - 1).id).encode() : null;
            return new JobPage(page.stream().map(JobView::of).toList(), next);
        });
    }

    /** The task to tell the worker about, when one was running. */
    public record Cancelled(JobEntity job, Optional<TaskEntity> runningTask) {}

    public Uni<Cancelled> cancel(ClientIdentity client, String jobId) {
        return events.inTransaction(outbox -> JobEntity.<JobEntity>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .map(job -> owned(client, jobId, job))
                .chain(job -> cancelLocked(outbox, job, clock.millis())));
    }

    private Uni<Cancelled> cancelLocked(Outbox outbox, JobEntity job, long now) {
        if (job.status.isTerminal()) {
            throw new ConflictException("job " + job.id + " is already " + job.status.wire());
        }
        job.moveTo(JobStatus.CANCELLED, now);
        return TaskEntity.<TaskEntity>findById(job.currentTaskId).map(task -> {
            boolean wasRunning = task != null && task.status == TaskStatus.ASSIGNED;
            if (task != null && (task.status == TaskStatus.PENDING || wasRunning)) {
                task.cancelRequested = true;
                task.status = TaskStatus.CANCELLED;
                task.finishedAt = now;
            }
            return new Cancelled(job, wasRunning ? Optional.of(task) : Optional.empty());
        }).call(cancelled -> recordStatus(outbox, job, job.currentTaskId));
    }

    /**
     * Applies a worker's result. A success for the task its job runs takes one guarded statement;
     * anything else, or a success whose guard does not hold, takes the locked path below.
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
            broadcast.committed(finished.get());
            return item(ResultOutcome.accepted("success_transition"));
        });
    }

    /**
     * Checks, in order: the task exists, it has no result yet, it was handed to this worker, its
     * job still runs it; then moves task and job, with the job row locked.
     */
    private Uni<ResultOutcome> applyLocked(String workerId, TaskResult result) {
        long now = clock.millis();
        return events.inTransaction(outbox -> TaskEntity.<TaskEntity>findById(result.taskId()).chain(task -> {
            if (task == null || !task.jobId.equals(result.jobId())) {
                return Uni.createFrom().item(ResultOutcome.ignored(IgnoredReason.JOB_NOT_FOUND.wire(),
                        "no task " + result.taskId() + " of job " + result.jobId()));
            }
            if (task.result != null) {
                return Uni.createFrom().item(ResultOutcome.ignored(IgnoredReason.DUPLICATE.wire(),
                        "task " + task.id + " already has a result"));
            }
            if (!workerId.equals(task.workerId)) {
                return Uni.createFrom().item(ResultOutcome.ignored(IgnoredReason.WORKER_MISMATCH.wire(),
                        "task " + task.id + " is not assigned to worker " + workerId));
            }
            return JobEntity.<JobEntity>findById(task.jobId, LockModeType.PESSIMISTIC_WRITE)
                    .chain(job -> apply(outbox, job, task, result, now)
                    .call(outcome -> outcome.isAccepted() ? recordStatus(outbox, job, task.id) : item(null)));
        }));
    }

    private Uni<ResultOutcome> apply(Outbox outbox, JobEntity job, TaskEntity task, TaskResult result, long now) {
        task.result = Json.convert(result, Map.class);
        task.finishedAt = now;
        if (job.status == JobStatus.CANCELLED) {
            task.status = TaskStatus.CANCELLED;
            return item(ResultOutcome.ignored(IgnoredReason.JOB_CANCELLED.wire(), "job " + job.id + " was cancelled"));
        }
        if (job.status.isTerminal()) {
            return item(ResultOutcome.ignored(IgnoredReason.JOB_ALREADY_TERMINATED.wire(), "job " + job.id + " is "
                    + job.status.wire()));
        }
        if (!task.id.equals(job.currentTaskId) || task.status != TaskStatus.ASSIGNED) {
            return item(ResultOutcome.ignored(IgnoredReason.STALE_TASK.wire(), "task " + task.id + " is no longer current"));
        }
        Optional<ResultStatus> status = ResultStatus.fromWire(result.status());
        if (status.isEmpty()) {
            task.status = TaskStatus.FAILED;
            job.error = errorMap(new TaskError(ErrorCode.CONTRACT_VIOLATION_ERROR.name(),
                    "unhandled status '" + result.status() + "'", null));
            job.moveTo(JobStatus.FAILED, now);
            return item(ResultOutcome.accepted("unhandled_status_failure"));
        }
        return switch (status.get()) {
            case SUCCESS -> item(succeed(job, task, result, now));
            case FAILURE -> fail(outbox, job, task, Optional.ofNullable(result.error())
                    .orElse(new TaskError(ErrorCode.TRANSIENT_ERROR, "failure without error")), now);
            case CANCELLED -> {
                task.status = TaskStatus.CANCELLED;
                job.moveTo(JobStatus.CANCELLED, now);
                yield item(ResultOutcome.accepted("cancelled_handled"));
            }
        };
    }

    private ResultOutcome succeed(JobEntity job, TaskEntity task, TaskResult result, long now) {
        task.status = TaskStatus.SUCCEEDED;
        job.result = result.data() == null ? Map.of() : result.data();
        job.resultMetadata = JobBlobs.metadataMap(result.dataMetadata());
        job.blobOwners = withOwners(job.blobOwners, blobs.owners(job.result, job.id));
        job.error = null;
        job.moveTo(JobStatus.FINISHED, now);
        return ResultOutcome.accepted("success_transition");
    }

    private Uni<ResultOutcome> fail(Outbox outbox, JobEntity job, TaskEntity task, TaskError error, long now) {
        task.status = TaskStatus.FAILED;
        job.error = errorMap(error);
        return switch (error.errorCode().reaction()) {
            case FAIL -> {
                job.moveTo(JobStatus.FAILED, now);
                yield item(ResultOutcome.accepted("failure_handled"));
            }
            case QUARANTINE -> {
                job.moveTo(JobStatus.QUARANTINED, now);
                yield item(ResultOutcome.accepted("failure_handled"));
            }
            case RETRY -> retryOrQuarantine(outbox, job, now).map(retry -> retry.map(ResultOutcome::retried)
                    .orElseGet(() -> ResultOutcome.accepted("failure_handled")));
        };
    }

    /** Queues a new attempt when attempts remain (within the caller's transaction), else quarantines the job. */
    private Uni<Optional<PendingTask>> retryOrQuarantine(Outbox outbox, JobEntity job, long now) {
        if (job.attempts >= job.maxAttempts) {
            job.moveTo(JobStatus.QUARANTINED, now);
            return item(Optional.empty());
        }
        TaskEntity next = newAttempt(job, job.attempts + 1, now);
        job.moveTo(JobStatus.WAITING_FOR_WORKER, now);
        job.assignedWorkerId = null;
        outbox.queued(next.id);
        return next.persist().map(ignored -> Optional.of(new PendingTask(next.id, next.type,
                parseRequirements(job.requirements))));
    }

    /** Records the job's new status as a lifecycle event: terminal ones end SSE streams. */
    private Uni<?> recordStatus(Outbox outbox, JobEntity job, String taskId) {
        String type = switch (job.status) {
            case FINISHED -> "job_finished";
            case FAILED -> "job_failed";
            case CANCELLED -> "job_cancelled";
            case QUARANTINED -> "job_quarantined";
            case WAITING_FOR_WORKER -> "task_retried";
            default -> "job_" + job.status.wire();
        };
        Map<String, Object> payload = new HashMap<>();
        payload.put("status", job.status.wire());
        payload.put("attempts", job.attempts);
        if (job.error != null) {
            payload.put("error", job.error);
        }
        return events.lifecycle(outbox, job.id, taskId, job.assignedWorkerId, type, payload);
    }

    private static <T> Uni<T> item(T value) {
        return Uni.createFrom().item(value);
    }

    /**
     * Recovers a job whose current task lost its lease: the job row is locked so that two
     * orchestrators sweeping at once recover it once.
     */
    public Uni<Optional<PendingTask>> recoverExpired(String jobId) {
        long now = clock.millis();
        return events.inTransaction(outbox -> JobEntity.<JobEntity>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> recoverLocked(outbox, job, now)));
    }

    private Uni<Optional<PendingTask>> recoverLocked(Outbox outbox, JobEntity job, long now) {
        if (job == null || job.status.isTerminal()) {
            return item(Optional.empty());
        }
        return TaskEntity.<TaskEntity>findById(job.currentTaskId).chain(task -> {
            if (task == null || task.status != TaskStatus.EXPIRED) {
                return item(Optional.<PendingTask>empty());
            }
            job.error = errorMap(new TaskError(ErrorCode.TIMEOUT_ERROR, "worker " + task.workerId
                    + " stopped renewing its lease on task " + task.id));
            return retryOrQuarantine(outbox, job, now).call(retry -> recordStatus(outbox, job, task.id));
        });
    }

    /** Fails a job whose own deadline ({@code timeout_seconds}) passed, and asks its worker to stop. */
    public Uni<Optional<TaskEntity>> expireDeadline(String jobId) {
        long now = clock.millis();
        return events.inTransaction(outbox -> JobEntity.<JobEntity>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> expireLocked(outbox, job, now)));
    }

    private Uni<Optional<TaskEntity>> expireLocked(Outbox outbox, JobEntity job, long now) {
        if (job == null || job.status.isTerminal() || job.deadlineAt == null || job.deadlineAt > now) {
            return item(Optional.empty());
        }
        job.error = errorMap(new TaskError(ErrorCode.TIMEOUT_ERROR, "job deadline of " + job.timeoutSeconds
                + " s passed"));
        job.moveTo(JobStatus.FAILED, now);
        return TaskEntity.<TaskEntity>findById(job.currentTaskId).map(task -> {
            boolean running = task != null && task.status == TaskStatus.ASSIGNED;
            if (task != null && (task.status == TaskStatus.PENDING || running)) {
                task.status = TaskStatus.CANCELLED;
                task.cancelRequested = true;
                task.finishedAt = now;
            }
            return running ? Optional.of(task) : Optional.<TaskEntity>empty();
        }).call(task -> recordStatus(outbox, job, job.currentTaskId));
    }

    private TaskEntity newAttempt(JobEntity job, int attempt, long now) {
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID().toString();
        task.jobId = job.id;
        task.attempt = attempt;
        task.type = job.type;
        task.priority = job.priority;
        task.requirements = job.requirements;
        task.status = TaskStatus.PENDING;
        task.createdAt = now;
        job.currentTaskId = task.id;
        return task;
    }

    /** The blob directories a job refers to, with those of its result added. */
    private static String[] withOwners(String[] current, List<String> more) {
        if (more.isEmpty()) {
            return current;
        }
        Set<String> all = new LinkedHashSet<>(current == null ? List.of() : List.of(current));
        all.addAll(more);
        return all.toArray(String[]::new);
    }

    private static Map<String, Object> errorMap(TaskError error) {
        return Json.convert(error, Map.class);
    }

    static Requirements parseRequirements(Map<String, Object> requirements) {
        if (requirements == null || requirements.isEmpty()) {
            return Requirements.NONE;
        }
        try {
            return Json.convert(requirements, Requirements.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid requirements: " + e.getMessage(), e);
        }
    }

    /** Position in a newest-first listing. */
    record Cursor(long createdAt, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String id = decoded.substring(colon + 1);
                if (!Identifiers.isValid(id)) {
                    throw new IllegalArgumentException("not a job id");
                }
                return new Cursor(Long.parseLong(decoded.substring(0, colon)), id);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new InvalidRequestException("invalid cursor", e);
            }
        }
    }
}
