package io.rxon.orchestrator.job;

import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's own reads, which the client API does not offer: jobs filtered by type as well as
 * status, and a job's attempts. Always scoped to one client; reads only, so nothing here takes part
 * in the job lifecycle.
 */
@ApplicationScoped
public class JobListings {

    private static final String JOBS = """
            SELECT id, type, status, attempts, max_attempts, assigned_worker_id, progress, created_at, updated_at
            FROM jobs WHERE client_id = $1
              AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR type = $3)
              AND ($4::bigint IS NULL OR (created_at, id) < ($4, $5))
            ORDER BY created_at DESC, id DESC LIMIT $6""";

    private static final String ATTEMPTS = """
            SELECT t.id, t.attempt, t.status, t.worker_id, t.created_at, t.dispatched_at, t.finished_at,
                   t.result -> 'error' AS error
            FROM tasks t JOIN jobs j ON j.id = t.job_id
            WHERE t.job_id = $1 AND j.client_id = $2 ORDER BY t.attempt""";

    /** One row of the jobs list. */
    public record JobSummary(String id, String type, String status, int attempts, int maxAttempts, String workerId,
            Double progress, long createdAt, long updatedAt) {}

    /** One page of jobs and the cursor of the next, if any. */
    public record JobSlice(List<JobSummary> jobs, Optional<String> nextCursor) {}

    /** One task attempt of a job. */
    public record Attempt(String taskId, int attempt, String status, String workerId, long createdAt,
            Long dispatchedAt, Long finishedAt, Map<String, Object> error) {}

    private final Pool pool;

    public JobListings(Pool pool) {
        this.pool = pool;
    }

    /** The client's jobs, newest first, optionally of one status and one type. */
    public Uni<JobSlice> jobs(String clientId, Optional<String> status, Optional<String> type, int limit,
            Optional<String> cursor) {
        Optional<Position> after = cursor.map(Position::decode);
        Tuple args = Tuple.tuple().addString(clientId).addString(status.orElse(null)).addString(type.orElse(null))
                .addLong(after.map(Position::createdAt).orElse(null)).addString(after.map(Position::id).orElse(null))
                .addInteger(limit + 1);
        return pool.preparedQuery(JOBS).execute(args).map(rows -> {
            List<JobSummary> jobs = new ArrayList<>();
            for (Row row : rows) {
                jobs.add(new JobSummary(row.getString("id"), row.getString("type"), row.getString("status"),
                        row.getInteger("attempts"), row.getInteger("max_attempts"),
                        row.getString("assigned_worker_id"), row.getDouble("progress"), row.getLong("created_at"),
                        row.getLong("updated_at")));
            }
            if (jobs.size() <= limit) {
                return new JobSlice(jobs, Optional.empty());
            }
            JobSummary last = jobs.get(limit - 1);
            return new JobSlice(jobs.subList(0, limit), Optional.of(new Position(last.createdAt(), last.id()).encode()));
        });
    }

    /** The attempts of one of the client's jobs, first to last. */
    public Uni<List<Attempt>> attempts(String clientId, String jobId) {
        return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(jobId, clientId)).map(rows -> {
            List<Attempt> attempts = new ArrayList<>();
            for (Row row : rows) {
                Object error = row.getValue("error");
                attempts.add(new Attempt(row.getString("id"), row.getInteger("attempt"), row.getString("status"),
                        row.getString("worker_id"), row.getLong("created_at"), row.getLong("dispatched_at"),
                        row.getLong("finished_at"),
                        error instanceof JsonObject json ? Jsonb.map(json) : null));
            }
            return attempts;
        });
    }

    /** Where a page ends: the last job's creation time and id (the list's sort key). */
    record Position(long createdAt, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String text) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return new Position(Long.parseLong(decoded.substring(0, colon)), decoded.substring(colon + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new InvalidRequestException("invalid cursor", e);
            }
        }
    }
}
