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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Dispatch (pending → assigned, {@link TaskState.Pending#assign}): claims one given task for a
 * worker, or the most urgent one a polling worker can take, through {@link ClaimStatements}, and
 * turns the claimed row into the signed task the worker receives.
 */
@ApplicationScoped
public class TaskClaims {

    /** Claims repeated, after 1, 2, 4 … ms, while every head is held by concurrent claims (more workers polling than heads). */
    static final int CONTENDED_RETRIES = 6;

    private final Pool pool;
    private final Clock clock;
    private final Optional<MessageSigner> taskSigner;
    private final JobTracing tracing;
    private final HolarchyStamp holarchy;
    private final String claimStatement;
    private final String claimNextStatement;

    @Inject
    public TaskClaims(Pool pool, Clock clock, OrchestratorConfig config, JobTracing tracing, HolarchyStamp holarchy) {
        this(pool, clock, config.taskSigningKey().filter(key -> !key.isBlank()).map(HmacSigner::new), tracing,
                holarchy, config.database().durableClaims());
    }

    /** Claims on a given pool (tests play a second orchestrator with their own pool), committed as by default. */
    public TaskClaims(Pool pool, Clock clock, Optional<MessageSigner> taskSigner) {
        this(pool, clock, taskSigner, JobTracing.off(), HolarchyStamp.plain(), false);
    }

    private TaskClaims(Pool pool, Clock clock, Optional<MessageSigner> taskSigner, JobTracing tracing,
            HolarchyStamp holarchy, boolean durableClaims) {
        this.pool = pool;
        this.clock = clock;
        this.taskSigner = taskSigner;
        this.tracing = tracing;
        this.holarchy = holarchy;
        this.claimStatement = ClaimStatements.claim(durableClaims);
        this.claimNextStatement = ClaimStatements.claimNextPlain(durableClaims);
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
        return claimNext(workerId, skills, plain, eligible, leaseMillis, 0);
    }

    private Uni<ClaimAttempt> claimNext(String workerId, List<String> skills, String[] plain,
            BiPredicate<String, Requirements> eligible, long leaseMillis, int contended) {
        long now = clock.millis();
        String eventId = UUID.randomUUID().toString();
        return pool.preparedQuery(claimNextStatement)
                .execute(Tuple.of(workerId, now, now + leaseMillis, eventId, skills.toArray(String[]::new), plain))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getString("task_id") != null) {
                        return Uni.createFrom().item(new ClaimAttempt(
                                Optional.of(signed(toClaimed(row, workerId, now, eventId))), true));
                    }
                    if (Boolean.FALSE.equals(row.getBoolean("plain"))) {
                        return claimMatching(workerId, skills, eligible, leaseMillis, 0, Double.POSITIVE_INFINITY, 0L)
                                .map(claimed -> new ClaimAttempt(claimed, true));
                    }
                    if (!row.getBoolean("queued")) {
                        return Uni.createFrom().item(ClaimAttempt.NOTHING_PENDING);
                    }
                    // Every head was held by concurrent claims: they take one each, so look again
                    // (after a growing pause) rather than park beside what they leave.
                    if (contended >= CONTENDED_RETRIES) {
                        return Uni.createFrom().item(new ClaimAttempt(Optional.empty(), true));
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1L << contended))
                            .chain(() -> claimNext(workerId, skills, plain, eligible, leaseMillis, contended + 1));
                });
    }

    /**
     * What a poll's claim found: the task it claimed, if any, and whether it saw pending tasks at
     * all (which, while it held them, other claims skipped).
     */
    public record ClaimAttempt(Optional<ClaimedTask> claimed, boolean sawPending) {
        static final ClaimAttempt NOTHING_PENDING = new ClaimAttempt(Optional.empty(), false);
    }

    /**
     * The head of the queue has requirements: inspect pages of {@value ClaimStatements#CANDIDATES}
     * in Java, each in its own short transaction, until one holds a task the worker can take.
     */
    private Uni<Optional<ClaimedTask>> claimMatching(String workerId, List<String> skills,
            BiPredicate<String, Requirements> eligible, long leaseMillis, int page, double afterPriority, long afterSeq) {
        String[] types = skills.toArray(String[]::new);
        Page next = new Page();
        return pool.withTransaction(connection -> connection.preparedQuery(ClaimStatements.SELECT_CANDIDATES)
                .execute(Tuple.of(types, ClaimStatements.CANDIDATES, afterPriority, afterSeq))
                .chain(rows -> {
                    for (Row row : rows) {
                        if (eligible.test(row.getString("type"), requirements(row.getJsonObject("requirements")))) {
                            return claim(connection, row.getString("id"), workerId, leaseMillis);
                        }
                        next.after(row.getDouble("priority"), row.getLong("seq"));
                    }
                    return Uni.createFrom().item(Optional.<ClaimedTask>empty());
                }))
                .chain(claimed -> claimed.isPresent() || !next.seen || page + 1 >= ClaimStatements.CANDIDATE_PAGES
                        ? Uni.createFrom().item(claimed)
                        : claimMatching(workerId, skills, eligible, leaseMillis, page + 1, next.priority, next.seq));
    }

    /** Where the next page of candidates starts: after the last one inspected. */
    private static final class Page {
        boolean seen;
        double priority;
        long seq;

        void after(double priority, long seq) {
            this.seen = true;
            this.priority = priority;
            this.seq = seq;
        }
    }

    private Uni<Optional<ClaimedTask>> claim(SqlClient client, String taskId, String workerId, long leaseMillis) {
        long now = clock.millis();
        String eventId = UUID.randomUUID().toString();
        return client.preparedQuery(claimStatement)
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
        return pool.preparedQuery(ClaimStatements.PENDING_BY_ID)
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
