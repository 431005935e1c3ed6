package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.orchestrator.db.GroupCommit;
import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The two writes every job makes, as single SQL statements on the reactive pool, each for a whole
 * group of jobs ({@link GroupCommit}): storing submissions (job, first attempt and
 * {@code job_created} together) and finishing jobs with a successful result. One statement is one
 * implicit transaction and one round trip, where the entity path took five to seven per job
 * (bench/README.md, "What limits it"). Everything unusual about a result (duplicates, stale
 * attempts, cancellations, failures) stays with the entity path.
 */
@ApplicationScoped
public class JobStatements {

    /** Rows per statement: the arrays of a group stay far below the protocol's message limits. */
    static final int MAX_GROUP = 200;

    /** Groups in flight at once, per kind of write. */
    static final int MAX_IN_FLIGHT = 4;

    private static final String INSERT_SUBMISSIONS = StatusSql.of("""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                     $8::float8[], $9::int4[], $10::int4[], $11::text[], $12::text[], $13::text[],
                                     $14::text[], $15::int8[], $16::int8[], $17::text[], $18::text[])
                    AS i(id, client_id, type, params, params_metadata, blob_owners, requirements, priority, max_attempts,
                         timeout_seconds, webhook_url, task_id, security, metadata, created_at, deadline_at, event_id,
                         event_payload)),
            job AS (
                INSERT INTO jobs (id, client_id, type, params, params_metadata, blob_owners, requirements, priority,
                                  status, max_attempts, timeout_seconds, webhook_url, current_task_id, security,
                                  metadata, created_at, updated_at, deadline_at)
                SELECT id, client_id, type, params::jsonb, params_metadata::jsonb,
                       CASE WHEN blob_owners IS NULL THEN NULL
                            ELSE ARRAY(SELECT jsonb_array_elements_text(blob_owners::jsonb)) END,
                       requirements::jsonb, priority, {job:waiting_for_worker}, max_attempts, timeout_seconds, webhook_url,
                       task_id, security::jsonb, metadata::jsonb, created_at, created_at, deadline_at
                FROM input),
            task AS (
                INSERT INTO tasks (id, job_id, attempt, type, priority, requirements, status, created_at)
                SELECT task_id, id, 1, type, priority, requirements::jsonb, {task:pending}, created_at FROM input)
            INSERT INTO job_events (event_id, job_id, task_id, type, payload, created_at)
            SELECT event_id, id, task_id, 'job_created', event_payload::jsonb, created_at FROM input""");

    /**
     * The job is updated (and so locked) before its task, in the order cancellation takes; the
     * guard is the entity path's checks for a success: the job runs this task, the task is this
     * worker's and has no result yet. A job's blob owners gain those of its result. Returns the
     * event id of every result that finished its job, and whether that job has a webhook (so that
     * a job without one costs no look-up); two results of one job in a group finish it once.
     */
    static final String FINISH_WITH_SUCCESS = StatusSql.of("""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                     $8::text[])
                    AS i(job_id, task_id, worker_id, data, data_metadata, owners, task_result, event_id)),
            job AS (
                UPDATE jobs j SET status = {job:finished}, result = i.data::jsonb, result_metadata = i.data_metadata::jsonb,
                                  error = NULL, updated_at = $9, finished_at = $9,
                                  blob_owners = CASE WHEN i.owners IS NULL THEN j.blob_owners
                                      ELSE ARRAY(SELECT DISTINCT o FROM unnest(coalesce(j.blob_owners, '{}')
                                          || ARRAY(SELECT jsonb_array_elements_text(i.owners::jsonb))) o) END
                FROM input i
                WHERE j.id = i.job_id AND j.status = {job:running} AND j.current_task_id = i.task_id
                  -- A workflow step's success advances its workflow in the same transaction (JobEndings).
                  AND j.parent_job_id IS NULL
                  AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = i.task_id AND t.job_id = i.job_id
                                                    AND t.worker_id = i.worker_id AND t.status = {task:assigned:checked}
                                                    AND t.result IS NULL)
                RETURNING j.id, j.attempts, j.assigned_worker_id, i.task_id, i.task_result, i.event_id,
                          j.webhook_url IS NOT NULL AS webhook),
            task AS (
                UPDATE tasks t SET status = {task:succeeded}, result = job.task_result::jsonb, finished_at = $9
                FROM job WHERE t.id = job.task_id),
            stored AS (
                INSERT INTO job_events (event_id, job_id, task_id, worker_id, type, payload, created_at)
                SELECT event_id, id, task_id, assigned_worker_id, 'job_finished',
                       jsonb_build_object('status', {job:finished}, 'attempts', attempts), $9
                FROM job
                RETURNING event_id, worker_id, payload)
            SELECT stored.*, job.webhook FROM stored JOIN job ON job.event_id = stored.event_id""");

    private final Pool pool;
    private final GroupCommit<NewJob, JobEvent> submissions;
    private final GroupCommit<Success, Optional<Finished>> successes;

    public JobStatements(Pool pool) {
        this.pool = pool;
        this.submissions = new GroupCommit<>(MAX_GROUP, MAX_IN_FLIGHT, this::insertAll);
        this.successes = new GroupCommit<>(MAX_GROUP, MAX_IN_FLIGHT, this::finishAll);
    }

    /** A new job in {@code waiting_for_worker} with its first, pending attempt. */
    public record NewJob(String id, String clientId, String type, Map<String, Object> params,
            Map<String, Object> paramsMetadata, List<String> blobOwners, Map<String, Object> requirements,
            double priority, int maxAttempts, Integer timeoutSeconds, String webhookUrl, String taskId,
            Map<String, Object> security, Map<String, Object> metadata, long createdAt, Long deadlineAt) {

        JobEvent created(String eventId) {
            return new JobEvent(eventId, id, taskId, null, "job_created", Map.of("type", type, "priority", priority),
                    createdAt);
        }
    }

    /** Stores the job; returns its {@code job_created} event. */
    public Uni<JobEvent> insert(NewJob job) {
        return submissions.write(job);
    }

    private Uni<List<JobEvent>> insertAll(List<NewJob> jobs) {
        List<JobEvent> created = jobs.stream().map(job -> job.created(UUID.randomUUID().toString())).toList();
        Tuple arguments = Tuple.tuple()
                .addArrayOfString(column(jobs, NewJob::id))
                .addArrayOfString(column(jobs, NewJob::clientId))
                .addArrayOfString(column(jobs, NewJob::type))
                .addArrayOfString(column(jobs, job -> json(job.params())))
                .addArrayOfString(column(jobs, job -> json(job.paramsMetadata())))
                .addArrayOfString(column(jobs, job -> job.blobOwners() == null ? null : Json.writeString(job.blobOwners())))
                .addArrayOfString(column(jobs, job -> json(job.requirements())))
                .addArrayOfDouble(jobs.stream().map(NewJob::priority).toArray(Double[]::new))
                .addArrayOfInteger(jobs.stream().map(NewJob::maxAttempts).toArray(Integer[]::new))
                .addArrayOfInteger(jobs.stream().map(NewJob::timeoutSeconds).toArray(Integer[]::new))
                .addArrayOfString(column(jobs, NewJob::webhookUrl))
                .addArrayOfString(column(jobs, NewJob::taskId))
                .addArrayOfString(column(jobs, job -> json(job.security())))
                .addArrayOfString(column(jobs, job -> json(job.metadata())))
                .addArrayOfLong(jobs.stream().map(NewJob::createdAt).toArray(Long[]::new))
                .addArrayOfLong(jobs.stream().map(NewJob::deadlineAt).toArray(Long[]::new))
                .addArrayOfString(column(created, JobEvent::eventId))
                .addArrayOfString(column(created, event -> json(event.payload())));
        return pool.preparedQuery(INSERT_SUBMISSIONS).execute(arguments).replaceWith(created);
    }

    /** A successful result for the task a job runs. */
    public record Success(String jobId, String taskId, String workerId, Map<String, Object> data,
            Map<String, Object> dataMetadata, List<String> resultOwners, Map<String, Object> taskResult, long now) {}

    /** A job a success finished: its {@code job_finished} event, and whether it has a webhook to call. */
    public record Finished(JobEvent event, boolean webhook) {}

    /** The job when it finished; empty when the guard did not hold and nothing was written. */
    public Uni<Optional<Finished>> finish(Success success) {
        return successes.write(success);
    }

    private Uni<List<Optional<Finished>>> finishAll(List<Success> results) {
        List<String> eventIds = results.stream().map(result -> UUID.randomUUID().toString()).toList();
        long now = results.stream().mapToLong(Success::now).max().orElseThrow();
        Tuple arguments = Tuple.tuple()
                .addArrayOfString(column(results, Success::jobId))
                .addArrayOfString(column(results, Success::taskId))
                .addArrayOfString(column(results, Success::workerId))
                .addArrayOfString(column(results, result -> json(result.data())))
                .addArrayOfString(column(results, result -> json(result.dataMetadata())))
                .addArrayOfString(column(results, result -> result.resultOwners().isEmpty() ? null
                        : Json.writeString(result.resultOwners())))
                .addArrayOfString(column(results, result -> json(result.taskResult())))
                .addArrayOfString(eventIds.toArray(String[]::new))
                .addLong(now);
        return pool.preparedQuery(FINISH_WITH_SUCCESS).execute(arguments).map(rows -> {
            Map<String, Row> finished = new HashMap<>();
            rows.forEach(row -> finished.put(row.getString("event_id"), row));
            List<Optional<Finished>> outcomes = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Success result = results.get(i);
                outcomes.add(Optional.ofNullable(finished.get(eventIds.get(i))).map(row -> new Finished(new JobEvent(
                        row.getString("event_id"), result.jobId(), result.taskId(), row.getString("worker_id"),
                        "job_finished", Jsonb.map(row.getJsonObject("payload")), now), row.getBoolean("webhook"))));
            }
            return outcomes;
        });
    }

    private static <T> String[] column(List<T> rows, Function<T, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }

    /** JSONB parameters travel as text through the shared mapper, so they are stored as the entity path stores them. */
    private static String json(Map<String, Object> value) {
        return value == null ? null : Json.writeString(value);
    }
}
