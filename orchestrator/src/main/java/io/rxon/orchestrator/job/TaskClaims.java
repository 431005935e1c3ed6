package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigner;
import io.rxon.common.security.TaskSignatures;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * The SQL of dispatch (pending → assigned, {@link TaskState.Pending#assign}). A claim is one
 * conditional update ({@code WHERE status = {task:pending}}) that
 * also marks the job running, so no task ever goes to two workers, even with several
 * orchestrator processes on one database; candidates for a polling worker are read with
 * {@code FOR UPDATE SKIP LOCKED} so concurrent polls do not queue behind each other. A claim
 * locks the job row before the task row, the order every other change of a job takes
 * (cancellation, deadlines, results, recovery), so a claim never deadlocks with them.
 */
@ApplicationScoped
public class TaskClaims {

    /** Candidates inspected per poll; requirements are matched in Java, so a few non-matching ones are skipped. */
    static final int CANDIDATES = 64;

    /**
     * Heads a poll's one-statement claim looks at: enough that the claims of concurrent workers,
     * each holding one head locked for a moment, still leave this one something to take.
     */
    static final int HEADS_PER_CLAIM = 16;

    /**
     * The first $2 pending tasks of the types in $1, most urgent first, read as one short index scan
     * per type ({@code tasks_pending}) and merged: the cost of a claim does not grow with the
     * backlog. Joining jobs in the same scan would not do: the planner cannot estimate the
     * two-column join and sorts every pending task of the types instead (88 ms with 33,000 pending,
     * against 0.5 ms this way).
     */
    private static String heads(String types, String limit) {
        return """
                heads AS MATERIALIZED (
                    SELECT h.* FROM unnest(%1$s::text[]) AS s(type)
                    CROSS JOIN LATERAL (
                        SELECT t.id, t.job_id, t.priority, t.seq, t.type, t.requirements FROM tasks t
                        WHERE t.status = {task:pending} AND t.type = s.type
                        ORDER BY t.priority DESC, t.seq
                        LIMIT %2$s) h
                    ORDER BY h.priority DESC, h.seq
                    LIMIT %2$s)""".formatted(types, limit);
    }

    /** Heads that are their job's current attempt, their jobs locked (skipping those locked already). */
    private static final String SELECT_CANDIDATES = StatusSql.of("WITH " + heads("$1", "$2") + """

            SELECT h.id, h.type, h.requirements FROM heads h JOIN jobs j ON j.id = h.job_id AND j.current_task_id = h.id
            ORDER BY h.priority DESC, h.seq
            FOR UPDATE OF j SKIP LOCKED""");

    /**
     * Claims the task of the locked job ({@code locked}: job id and task id), marks the job
     * running and records {@code task_dispatched}, in one statement. The statements below differ
     * only in how they pick and lock the job; their parameters start with worker id, now, lease
     * expiry and the event id. The task is updated only after its job's row is locked (the
     * update joins the lock), and the job only when the task was still pending.
     */
    private static final String CLAIM_TAIL = """
            claimed AS (
                UPDATE tasks t SET status = {task:assigned}, worker_id = $1, dispatched_at = $2, lease_expires_at = $3
                FROM locked
                WHERE t.id = locked.task_id AND t.status = {task:pending}
                RETURNING t.id, t.job_id, t.attempt, t.created_at),
            job AS (
                UPDATE jobs j SET status = {job:running}, assigned_worker_id = $1, attempts = j.attempts + 1, updated_at = $2
                FROM claimed c
                WHERE j.id = c.job_id
                RETURNING j.id, j.type, j.params::text AS params, j.params_metadata::text AS params_metadata, j.priority,
                          j.deadline_at, j.security::text AS security, j.metadata::text AS metadata,
                          j.requirements::text AS requirements, c.id AS task_id, c.attempt, c.created_at AS queued_at),
            dispatched AS (
                INSERT INTO job_events (event_id, job_id, task_id, worker_id, type, payload, created_at)
                SELECT $4, job.id, job.task_id, $1, 'task_dispatched',
                       jsonb_build_object('worker_id', $1::text, 'attempt', job.attempt), $2
                FROM job)
            """;

    /** One given task ($5), if it is still its job's pending attempt. */
    private static final String CLAIM = StatusSql.of("""
            WITH locked AS (
                SELECT j.id AS job_id, j.current_task_id AS task_id FROM jobs j
                WHERE j.id = (SELECT job_id FROM tasks WHERE id = $5) AND j.current_task_id = $5
                  AND j.status IN ({job:pending}, {job:waiting_for_worker})
                FOR UPDATE),
            """ + CLAIM_TAIL + "SELECT * FROM job");

    /**
     * A poll's claim in one statement when the most urgent pending task of the worker's skills
     * ($5) has no requirements and is of a type the worker takes without any ($6), the common
     * case; a row with {@code plain} false and no task means requirements must be matched in Java.
     */
    private static final String CLAIM_NEXT_PLAIN = StatusSql.of("WITH " + heads("$5", Integer.toString(HEADS_PER_CLAIM)) + """
            ,
            candidate AS (
                SELECT j.id AS job_id, h.id AS task_id,
                       (h.requirements IS NULL OR h.requirements = '{}'::jsonb) AND h.type = ANY($6) AS plain
                FROM heads h JOIN jobs j ON j.id = h.job_id AND j.current_task_id = h.id
                ORDER BY h.priority DESC, h.seq
                LIMIT 1
                FOR UPDATE OF j SKIP LOCKED),
            locked AS (SELECT job_id, task_id FROM candidate WHERE plain),
            """ + CLAIM_TAIL + "SELECT candidate.plain, job.* FROM candidate LEFT JOIN job ON true");

    private static final String PENDING_BY_ID = StatusSql.of("""
            SELECT id, type, requirements FROM tasks WHERE id = ANY($1) AND status = {task:pending}""");

    private final Pool pool;
    private final Clock clock;
    private final Optional<MessageSigner> taskSigner;
    private final JobTracing tracing;
    private final HolarchyStamp holarchy;

    @Inject
    public TaskClaims(Pool pool, Clock clock, OrchestratorConfig config, JobTracing tracing, HolarchyStamp holarchy) {
        this(pool, clock, config.taskSigningKey().filter(key -> !key.isBlank()).map(HmacSigner::new), tracing,
                holarchy);
    }

    /** Claims on a given pool (tests play a second orchestrator with their own pool). */
    public TaskClaims(Pool pool, Clock clock, Optional<MessageSigner> taskSigner) {
        this(pool, clock, taskSigner, JobTracing.off(), HolarchyStamp.plain());
    }

    private TaskClaims(Pool pool, Clock clock, Optional<MessageSigner> taskSigner, JobTracing tracing,
            HolarchyStamp holarchy) {
        this.pool = pool;
        this.clock = clock;
        this.taskSigner = taskSigner;
        this.tracing = tracing;
        this.holarchy = holarchy;
    }

    /** Claims one specific pending task for a worker; empty when someone else got it first. */
    public Uni<Optional<ClaimedTask>> claim(String taskId, String workerId, long leaseMillis) {
        return claim(pool, taskId, workerId, leaseMillis);
    }

    /**
     * Claims the most urgent pending task of one of {@code skills} whose requirements the worker
     * meets ({@code eligible}, given the task type and requirements).
     */
    public Uni<ClaimAttempt> claimNext(
            String workerId, List<String> skills, BiPredicate<String, Requirements> eligible, long leaseMillis) {
        if (skills.isEmpty()) {
            return Uni.createFrom().item(ClaimAttempt.NOTHING_PENDING);
        }
        String[] plain = skills.stream().filter(type -> eligible.test(type, Requirements.NONE)).toArray(String[]::new);
        long now = clock.millis();
        String eventId = UUID.randomUUID().toString();
        return pool.preparedQuery(CLAIM_NEXT_PLAIN)
                .execute(Tuple.of(workerId, now, now + leaseMillis, eventId, skills.toArray(String[]::new), plain))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(ClaimAttempt.NOTHING_PENDING);
                    }
                    Row row = rows.iterator().next();
                    if (row.getString("task_id") != null) {
                        return Uni.createFrom().item(new ClaimAttempt(
                                Optional.of(signed(toClaimed(row, workerId, now, eventId))), true));
                    }
                    return claimMatching(workerId, skills, eligible, leaseMillis)
                            .map(claimed -> new ClaimAttempt(claimed, true));
                });
    }

    /**
     * What a poll's claim found: the task it claimed, if any, and whether it saw pending tasks at
     * all (which, while it held them, other claims skipped).
     */
    public record ClaimAttempt(Optional<ClaimedTask> claimed, boolean sawPending) {
        static final ClaimAttempt NOTHING_PENDING = new ClaimAttempt(Optional.empty(), false);
    }

    /** The head of the queue has requirements: inspect the first {@value #CANDIDATES} in Java. */
    private Uni<Optional<ClaimedTask>> claimMatching(
            String workerId, List<String> skills, BiPredicate<String, Requirements> eligible, long leaseMillis) {
        return pool.withTransaction(connection -> connection.preparedQuery(SELECT_CANDIDATES)
                .execute(Tuple.of(skills.toArray(String[]::new), CANDIDATES))
                .chain(rows -> {
                    for (Row row : rows) {
                        if (eligible.test(row.getString("type"), requirements(row.getJsonObject("requirements")))) {
                            return claim(connection, row.getString("id"), workerId, leaseMillis);
                        }
                    }
                    return Uni.createFrom().item(Optional.<ClaimedTask>empty());
                }));
    }

    private Uni<Optional<ClaimedTask>> claim(SqlClient client, String taskId, String workerId, long leaseMillis) {
        long now = clock.millis();
        String eventId = UUID.randomUUID().toString();
        return client.preparedQuery(CLAIM)
                .execute(Tuple.of(workerId, now, now + leaseMillis, eventId, taskId))
                .map(rows -> rows.size() == 0
                        ? Optional.<ClaimedTask>empty()
                        : Optional.of(signed(toClaimed(rows.iterator().next(), workerId, now, eventId))));
    }

    /** With {@code RXON_TASK_SIGNING_KEY}, every task carries the orchestrator's signature ({@code sig}). */
    private ClaimedTask signed(ClaimedTask untraced) {
        // The trace context goes into the task before the signature, which covers it.
        ClaimedTask claimed = tracing.dispatched(holarchy.dispatched(untraced));
        return taskSigner.map(signer -> new ClaimedTask(TaskSignatures.sign(claimed.payload(), signer),
                claimed.workerId(), claimed.attempt(), claimed.queuedMillis(), claimed.dispatched())).orElse(claimed);
    }

    private static ClaimedTask toClaimed(Row row, String workerId, long now, String eventId) {
        Long deadline = row.getLong("deadline_at");
        Map<String, Object> security = Jsonb.map(row.getString("security"));
        TaskPayload payload = new TaskPayload(row.getString("id"), row.getString("task_id"), row.getString("type"),
                Jsonb.map(row.getString("params")), null, paramsMetadata(row.getString("params_metadata")),
                row.getDouble("priority"),
                deadline == null ? null : deadline / 1000, security == null ? null : Json.convert(security,
                SecurityContext.class), Jsonb.map(row.getString("metadata")), now / 1000, null, null, 0, 0, null,
                requirementsExtra(row.getString("requirements")));
        int attempt = row.getInteger("attempt");
        JobEvent dispatched = new JobEvent(eventId, payload.jobId(), payload.taskId(), workerId, "task_dispatched",
                Map.of("worker_id", workerId, "attempt", attempt), now);
        return new ClaimedTask(payload, workerId, attempt, now - row.getLong("queued_at"), dispatched);
    }

    /** The job's requirements, for an orchestrator worker only ({@link HolarchyStamp} removes them for others). */
    private static Map<String, Object> requirementsExtra(String json) {
        Map<String, Object> requirements = Jsonb.map(json);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (requirements != null && !requirements.isEmpty()) {
            extra.put(Protocol.TASK_REQUIREMENTS, requirements);
        }
        return extra;
    }

    /** The integrity metadata of the blobs the params refer to (docs/BLOBS.md), by key path. */
    static Map<String, FileMetadata> paramsMetadata(String json) {
        Map<String, Object> stored = Jsonb.map(json);
        if (stored == null || stored.isEmpty()) {
            return null;
        }
        Map<String, FileMetadata> metadata = new LinkedHashMap<>();
        stored.forEach((path, entry) -> metadata.put(path, Json.convert(entry, FileMetadata.class)));
        return metadata;
    }

    static Requirements requirements(JsonObject json) {
        return json == null ? Requirements.NONE : Json.convert(Jsonb.map(json), Requirements.class);
    }

    /** Those of these tasks that are still pending. */
    public Uni<List<PendingTask>> pendingTasks(List<String> taskIds) {
        return pool.preparedQuery(PENDING_BY_ID)
                .execute(Tuple.of(taskIds.toArray(String[]::new)))
                .map(rows -> {
                    List<PendingTask> tasks = new ArrayList<>();
                    rows.forEach(row -> tasks.add(pending(row)));
                    return tasks;
                });
    }

    private static PendingTask pending(Row row) {
        return new PendingTask(row.getString("id"), row.getString("type"), requirements(row.getJsonObject("requirements")));
    }
}
