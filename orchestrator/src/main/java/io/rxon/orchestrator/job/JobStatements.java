package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.orchestrator.dispatch.TaskClaims;
import io.rxon.orchestrator.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The two writes every job makes, each as one SQL statement on the reactive pool: storing a
 * submission (job, first attempt and {@code job_created} together) and finishing a job with a
 * successful result. One statement is one implicit transaction and one round trip, where the
 * entity path took five to seven (bench/README.md, "What limits it"). Everything unusual about a
 * result (duplicates, stale attempts, cancellations, failures) stays with the entity path.
 */
@ApplicationScoped
public class JobStatements {

    private static final String INSERT_SUBMISSION = """
            WITH job AS (
                INSERT INTO jobs (id, client_id, type, params, params_metadata, blob_owners, requirements, priority,
                                  status, max_attempts, timeout_seconds, webhook_url, current_task_id, security,
                                  metadata, created_at, updated_at, deadline_at)
                VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6::text[], $7::text::jsonb, $8,
                        'waiting_for_worker', $9, $10, $11, $12, $13::text::jsonb, $14::text::jsonb, $15, $15, $16)
                RETURNING id),
            task AS (
                INSERT INTO tasks (id, job_id, attempt, type, priority, requirements, status, created_at)
                SELECT $12, job.id, 1, $3, $8, $7::text::jsonb, 'pending', $15 FROM job
                RETURNING id)
            INSERT INTO job_events (event_id, job_id, task_id, type, payload, created_at)
            SELECT $17, job.id, task.id, 'job_created', $18::text::jsonb, $15 FROM job, task""";

    /**
     * The job is updated (and so locked) before its task, in the order cancellation takes; the
     * guard is the entity path's checks for a success: the job runs this task, the task is this
     * worker's and has no result yet. A job's blob owners gain those of its result.
     */
    private static final String FINISH_WITH_SUCCESS = """
            WITH job AS (
                UPDATE jobs j SET status = 'finished', result = $4::text::jsonb, result_metadata = $5::text::jsonb,
                                  error = NULL, updated_at = $6, finished_at = $6,
                                  blob_owners = CASE WHEN $7::text[] IS NULL THEN j.blob_owners
                                      ELSE ARRAY(SELECT DISTINCT o FROM unnest(coalesce(j.blob_owners, '{}') || $7::text[]) o)
                                  END
                WHERE j.id = $1 AND j.status = 'running' AND j.current_task_id = $2
                  AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = $2 AND t.job_id = $1 AND t.worker_id = $3
                                                    AND t.status = 'assigned' AND t.result IS NULL)
                RETURNING j.id, j.attempts, j.assigned_worker_id),
            task AS (
                UPDATE tasks t SET status = 'succeeded', result = $8::text::jsonb, finished_at = $6
                FROM job WHERE t.id = $2
                RETURNING t.id)
            INSERT INTO job_events (event_id, job_id, task_id, worker_id, type, payload, created_at)
            SELECT $9, job.id, task.id, job.assigned_worker_id, 'job_finished',
                   jsonb_build_object('status', 'finished', 'attempts', job.attempts), $6
            FROM job, task
            RETURNING worker_id, payload""";

    private final Pool pool;

    public JobStatements(Pool pool) {
        this.pool = pool;
    }

    /** A new job in {@code waiting_for_worker} with its first, pending attempt. */
    public record NewJob(String id, String clientId, String type, Map<String, Object> params,
            Map<String, Object> paramsMetadata, String[] blobOwners, Map<String, Object> requirements, double priority,
            int maxAttempts, Integer timeoutSeconds, String webhookUrl, String taskId, Map<String, Object> security,
            Map<String, Object> metadata, long createdAt, Long deadlineAt) {}

    /** Stores the job; returns its {@code job_created} event. */
    public Uni<JobEvent> insert(NewJob job) {
        JobEvent created = new JobEvent(UUID.randomUUID().toString(), job.id(), job.taskId(), null, "job_created",
                Map.of("type", job.type(), "priority", job.priority()), job.createdAt());
        return pool.preparedQuery(INSERT_SUBMISSION).execute(Tuple.from(Arrays.asList(job.id(), job.clientId(),
                        job.type(), json(job.params()), json(job.paramsMetadata()), job.blobOwners(),
                        json(job.requirements()), job.priority(), job.maxAttempts(), job.timeoutSeconds(),
                        job.webhookUrl(), job.taskId(), json(job.security()), json(job.metadata()), job.createdAt(),
                        job.deadlineAt(), created.eventId(), json(created.payload()))))
                .replaceWith(created);
    }

    /** A successful result for the task a job runs. */
    public record Success(String jobId, String taskId, String workerId, Map<String, Object> data,
            Map<String, Object> dataMetadata, List<String> resultOwners, Map<String, Object> taskResult, long now) {}

    /** The {@code job_finished} event when the job finished; empty when the guard did not hold and nothing was written. */
    public Uni<Optional<JobEvent>> finish(Success success) {
        String[] owners = success.resultOwners().isEmpty() ? null : success.resultOwners().toArray(String[]::new);
        String eventId = UUID.randomUUID().toString();
        return pool.preparedQuery(FINISH_WITH_SUCCESS).execute(Tuple.from(Arrays.asList(success.jobId(),
                        success.taskId(), success.workerId(), json(success.data()), json(success.dataMetadata()),
                        success.now(), owners, json(success.taskResult()), eventId)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new JobEvent(eventId, success.jobId(), success.taskId(),
                            row.getString("worker_id"), "job_finished", TaskClaims.map(row.getJsonObject("payload")),
                            success.now()));
                });
    }

    /** JSONB parameters travel as text through the shared mapper, so they are stored as the entity path stores them. */
    private static String json(Map<String, Object> value) {
        return value == null ? null : Json.writeString(value);
    }
}
