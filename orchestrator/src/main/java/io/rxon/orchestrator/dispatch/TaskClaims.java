package io.rxon.orchestrator.dispatch;

import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigner;
import io.rxon.common.security.TaskSignatures;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The SQL of dispatch. A claim is one conditional update ({@code WHERE status = 'pending'}) that
 * also marks the job running, so no task ever goes to two workers, even with several
 * orchestrator processes on one database; candidates for a polling worker are read with
 * {@code FOR UPDATE SKIP LOCKED} so concurrent polls do not queue behind each other.
 */
@ApplicationScoped
public class TaskClaims {

    /** Candidates inspected per poll; requirements are matched in Java, so a few non-matching ones are skipped. */
    static final int CANDIDATES = 64;

    private static final String SELECT_CANDIDATES = """
            SELECT id, type, requirements FROM tasks
            WHERE status = 'pending' AND type = ANY($1)
            ORDER BY priority DESC, seq
            LIMIT $2
            FOR UPDATE SKIP LOCKED""";

    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE tasks SET status = 'assigned', worker_id = $2, dispatched_at = $3, lease_expires_at = $4
                WHERE id = $1 AND status = 'pending'
                RETURNING id, job_id, attempt, created_at)
            UPDATE jobs j SET status = 'running', assigned_worker_id = $2, attempts = j.attempts + 1, updated_at = $3
            FROM claimed c
            WHERE j.id = c.job_id
            RETURNING j.id, j.type, j.params, j.params_metadata, j.priority, j.deadline_at, j.security, j.metadata,
                      c.id AS task_id, c.attempt, c.created_at AS queued_at""";

    private final Pool pool;
    private final Clock clock;
    private final Optional<MessageSigner> taskSigner;

    @Inject
    public TaskClaims(Pool pool, Clock clock, OrchestratorConfig config) {
        this(pool, clock, config.taskSigningKey().filter(key -> !key.isBlank()).map(HmacSigner::new));
    }

    /** Claims on a given pool (tests play a second orchestrator with their own pool). */
    public TaskClaims(Pool pool, Clock clock, Optional<MessageSigner> taskSigner) {
        this.pool = pool;
        this.clock = clock;
        this.taskSigner = taskSigner;
    }

    /** Claims one specific pending task for a worker; empty when someone else got it first. */
    public Uni<Optional<ClaimedTask>> claim(String taskId, String workerId, long leaseMillis) {
        return pool.withTransaction(connection -> claim(connection, taskId, workerId, leaseMillis));
    }

    /**
     * Claims the most urgent pending task of one of {@code skills} whose requirements the worker
     * meets ({@code eligible}, given the task type and requirements).
     */
    public Uni<Optional<ClaimedTask>> claimNext(
            String workerId, List<String> skills, BiPredicate<String, Requirements> eligible, long leaseMillis) {
        if (skills.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
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

    private Uni<Optional<ClaimedTask>> claim(SqlConnection connection, String taskId, String workerId, long leaseMillis) {
        long now = clock.millis();
        return connection.preparedQuery(CLAIM)
                .execute(Tuple.of(taskId, workerId, now, now + leaseMillis))
                .map(rows -> rows.size() == 0
                        ? Optional.<ClaimedTask>empty()
                        : Optional.of(signed(toClaimed(rows.iterator().next(), workerId, now))));
    }

    /** With {@code RXON_TASK_SIGNING_KEY}, every task carries the orchestrator's signature ({@code sig}). */
    private ClaimedTask signed(ClaimedTask claimed) {
        return taskSigner.map(signer -> new ClaimedTask(TaskSignatures.sign(claimed.payload(), signer),
                claimed.workerId(), claimed.attempt(), claimed.queuedMillis())).orElse(claimed);
    }

    private static ClaimedTask toClaimed(Row row, String workerId, long now) {
        Long deadline = row.getLong("deadline_at");
        Map<String, Object> security = map(row.getJsonObject("security"));
        TaskPayload payload = new TaskPayload(row.getString("id"), row.getString("task_id"), row.getString("type"),
                map(row.getJsonObject("params")), null, paramsMetadata(row.getJsonObject("params_metadata")),
                row.getDouble("priority"),
                deadline == null ? null : deadline / 1000, security == null ? null : Json.convert(security,
                SecurityContext.class), map(row.getJsonObject("metadata")), now / 1000, null, null, 0, 0, null,
                null);
        return new ClaimedTask(payload, workerId, row.getInteger("attempt"), now - row.getLong("queued_at"));
    }

    /** The integrity metadata of the blobs the params refer to (docs/BLOBS.md), by key path. */
    static Map<String, FileMetadata> paramsMetadata(JsonObject json) {
        Map<String, Object> stored = map(json);
        if (stored == null || stored.isEmpty()) {
            return null;
        }
        Map<String, FileMetadata> metadata = new LinkedHashMap<>();
        stored.forEach((path, entry) -> metadata.put(path, Json.convert(entry, FileMetadata.class)));
        return metadata;
    }

    static Requirements requirements(JsonObject json) {
        return json == null ? Requirements.NONE : Json.convert(map(json), Requirements.class);
    }

    /** Re-reads JSONB through the shared mapper so nested values are plain maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonObject json) {
        return json == null ? null : Json.convert(Json.tree(json.encode().getBytes(StandardCharsets.UTF_8)), Map.class);
    }

    /** One task, if it is still pending. */
    public Uni<Optional<PendingTask>> pendingTask(String taskId) {
        return pool.preparedQuery("SELECT id, type, requirements FROM tasks WHERE id = $1 AND status = 'pending'")
                .execute(Tuple.of(taskId))
                .map(rows -> rows.size() == 0 ? Optional.<PendingTask>empty() : Optional.of(pending(rows.iterator().next())));
    }

    private static PendingTask pending(Row row) {
        return new PendingTask(row.getString("id"), row.getString("type"), requirements(row.getJsonObject("requirements")));
    }

    /** Pending tasks of these types, most urgent first (for offering to a worker that just became free). */
    public Uni<List<PendingTask>> pending(List<String> types, int limit) {
        return pool.preparedQuery("SELECT id, type, requirements FROM tasks WHERE status = 'pending' AND type = ANY($1)"
                        + " ORDER BY priority DESC, seq LIMIT $2")
                .execute(Tuple.of(types.toArray(String[]::new), limit))
                .map(rows -> {
                    List<PendingTask> tasks = new ArrayList<>();
                    rows.forEach(row -> tasks.add(pending(row)));
                    return tasks;
                });
    }
}
