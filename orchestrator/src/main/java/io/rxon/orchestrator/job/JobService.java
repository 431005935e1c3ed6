package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.protocol.Identifiers;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.contract.Contracts;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.security.ClientIdentity;
import io.rxon.orchestrator.webhook.WebhookAddressPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Submitting and reading jobs: creates a job with its first, pending task attempt (one grouped
 * statement, {@link JobStatements}) and tells dispatch once it has committed ({@link JobCommits});
 * reads one job or a page of them. What happens to a job after that is {@link JobLifecycle}'s.
 */
@ApplicationScoped
public class JobService {

    static final int MAX_PAGE = 500;

    private final Clock clock;
    private final OrchestratorConfig config;
    private final JobBlobs blobs;
    private final JobStatements statements;
    private final JobCommits commits;
    private final WebhookAddressPolicy webhooks;
    private final Contracts contracts;

    public JobService(Clock clock, OrchestratorConfig config, JobBlobs blobs, JobStatements statements,
            JobCommits commits, WebhookAddressPolicy webhooks, Contracts contracts) {
        this.contracts = contracts;
        this.clock = clock;
        this.config = config;
        this.blobs = blobs;
        this.statements = statements;
        this.commits = commits;
        this.webhooks = webhooks;
    }

    /**
     * Submits a job: validates it, prepares its blobs (references checked, params offloaded when
     * large: docs/BLOBS.md) outside any transaction, then stores it; a blob written for a job that
     * could not be stored is removed again.
     */
    /** Returns the new job's id once it is stored. */
    public Uni<String> submit(ClientIdentity client, JobRequest request) {
        return submit(client, request, true);
    }

    /**
     * Submits the local job of a parent orchestrator's task (docs/HOLARCHY.md): its blob references
     * into our bucket name the parent's job and upload directories, which no client of ours owns
     * (the store is shared with the parent), so they are only checked to exist, not for ownership.
     */
    public Uni<String> submitForParent(ClientIdentity parent, JobRequest request) {
        return submit(parent, request, false);
    }

    private Uni<String> submit(ClientIdentity client, JobRequest request, boolean checkOwners) {
        Requirements requirements = Attempts.requirements(request.requirements());
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
        return blobs.prepare(client, jobId, request.params(), checkOwners)
                .chain(prepared -> create(client, jobId, request, requirements, maxAttempts, prepared)
                        .onFailure().call(() -> prepared.offloaded() ? blobs.discard(jobId)
                                : Uni.createFrom().voidItem()));
    }

    private Uni<String> create(ClientIdentity client, String jobId, JobRequest request, Requirements requirements,
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
            commits.committed(new Outbox().add(created).queued(new PendingTask(taskId, request.type(), requirements)));
            return jobId;
        });
    }

    @WithSession
    public Uni<JobEntity> get(ClientIdentity client, String jobId) {
        return JobEntity.<JobEntity>findById(jobId).map(job -> owned(client, jobId, job));
    }

    /**
     * The job as the API shows it; once it has ended, with the worker that really produced its result
     * (the {@code origin_worker_id} its result named, else the worker its last task was assigned to).
     */
    @WithSession
    public Uni<JobView> view(ClientIdentity client, String jobId) {
        return JobEntity.<JobEntity>findById(jobId).map(job -> owned(client, jobId, job)).chain(job -> {
            if (!job.status.isTerminal() || job.currentTaskId == null) {
                return Uni.createFrom().item(JobView.of(job));
            }
            return TaskEntity.<TaskEntity>findById(job.currentTaskId).map(task -> JobView.of(job, task == null ? null
                    : task.result != null && task.result.get("origin_worker_id") instanceof String origin ? origin
                    : task.workerId));
        });
    }

    /** Another client's job is reported exactly like a missing one. */
    private static JobEntity owned(ClientIdentity client, String jobId, JobEntity job) {
        if (job == null || !job.clientId.equals(client.clientId())) {
            throw new ResourceNotFoundException("job " + jobId + " not found");
        }
        return job;
    }

    /**
     * The client's jobs, newest first, optionally of one status; the jobs of workflow steps only when asked. The
     * cursor is opaque to clients.
     */
    @WithSession
    public Uni<JobPage> list(ClientIdentity client, Optional<JobStatus> status, int limit, Optional<String> cursor,
            boolean includeSteps) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        Cursor after = cursor.map(Cursor::decode).orElse(null);
        StringBuilder query = new StringBuilder("clientId = :client");
        Map<String, Object> parameters = new HashMap<>(Map.of("client", client.clientId()));
        if (!includeSteps) {
            // The jobs of workflow steps are the workflow's business: its job view lists them as steps.
            query.append(" and parentJobId is null");
        }
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
