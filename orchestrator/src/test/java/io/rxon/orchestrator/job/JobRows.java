package io.rxon.orchestrator.job;

import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.orchestrator.blob.BlobStorage;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jobs written straight into the database with one task and one event each, at any age and in any
 * status (waiting for days for a job to age is not an option), and their blobs in the real store.
 */
final class JobRows {

    private static final String INSERT = """
            WITH job AS (
                INSERT INTO jobs (id, client_id, type, status, max_attempts, current_task_id, blob_owners, created_at,
                                  updated_at, finished_at, blobs_cleaned_at)
                VALUES ($1, 'default', $2, $3, 3, $1 || '-task', $4, $5, $5, $6, $7)
                RETURNING id, type, created_at, finished_at),
            task AS (
                INSERT INTO tasks (id, job_id, attempt, type, status, created_at, finished_at)
                SELECT id || '-task', id, 1, type, $8, created_at, finished_at FROM job)
            INSERT INTO job_events (event_id, job_id, task_id, type, created_at)
            SELECT id || '-created', id, id || '-task', 'job_created', created_at FROM job""";

    private final Pool pool;
    private final BlobStorage storage;

    JobRows(Pool pool, BlobStorage storage) {
        this.pool = pool;
        this.storage = storage;
    }

    static long daysAgo(int days) {
        return Instant.now().minus(Duration.ofDays(days)).toEpochMilli();
    }

    /** A job in {@code status} with a task in {@code taskStatus}; {@code finishedAt} null for a live job. */
    void insert(String id, String type, String status, String taskStatus, long createdAt, Long finishedAt,
            Long blobsCleanedAt, String... blobOwners) {
        pool.preparedQuery(INSERT).executeAndAwait(Tuple.tuple().addString(id).addString(type).addString(status)
                .addArrayOfString(blobOwners.length == 0 ? null : blobOwners).addLong(createdAt).addLong(finishedAt)
                .addLong(blobsCleanedAt).addString(taskStatus));
    }

    /** {@code count} failed jobs {@code <prefix>1..n} whose blobs are gone, ended from {@code finishedAt} on. */
    void insertBacklog(String prefix, int count, long finishedAt) {
        pool.preparedQuery("""
                WITH job AS (
                    INSERT INTO jobs (id, client_id, type, status, max_attempts, created_at, updated_at, finished_at,
                                      blobs_cleaned_at)
                    SELECT $1 || n, 'default', 'retention-backlog', 'failed', 3, $3, $3, $3 + n, $3 + n
                    FROM generate_series(1, $2) n
                    RETURNING id, created_at),
                task AS (
                    INSERT INTO tasks (id, job_id, attempt, type, status, created_at)
                    SELECT id || '-task', id, 1, 'retention-backlog', 'failed', created_at FROM job)
                INSERT INTO job_events (event_id, job_id, type, created_at)
                SELECT id || '-created', id, 'job_created', created_at FROM job""")
                .executeAndAwait(Tuple.of(prefix, count, finishedAt));
    }

    /** Jobs, tasks and events of every job whose id starts with {@code prefix}. */
    long rowsWithPrefix(String prefix) {
        return pool.preparedQuery("""
                SELECT (SELECT count(*) FROM jobs WHERE id LIKE $1) + (SELECT count(*) FROM tasks WHERE job_id LIKE $1)
                       + (SELECT count(*) FROM job_events WHERE job_id LIKE $1) AS n""")
                .executeAndAwait(Tuple.of(prefix + "%")).iterator().next().getLong("n");
    }

    /** Makes {@code child} a step of the workflow job {@code parent}. */
    void makeChildOf(String child, String parent) {
        pool.preparedQuery("UPDATE jobs SET parent_job_id = $2 WHERE id = $1").executeAndAwait(Tuple.of(child, parent));
    }

    /** Makes a job look as if it had ended at {@code finishedAt}. */
    void age(String jobId, long finishedAt) {
        pool.preparedQuery("UPDATE jobs SET created_at = $2, finished_at = $2 WHERE id = $1")
                .executeAndAwait(Tuple.of(jobId, finishedAt));
    }

    long count(String table, String jobColumn, String jobId) {
        Row row = pool.preparedQuery("SELECT count(*) AS n FROM " + table + " WHERE " + jobColumn + " = $1")
                .executeAndAwait(Tuple.of(jobId)).iterator().next();
        return row.getLong("n");
    }

    /** Jobs, tasks and events of the job, in that order. */
    List<Long> rowsOf(String jobId) {
        return List.of(count("jobs", "id", jobId), count("tasks", "job_id", jobId), count("job_events", "job_id", jobId));
    }

    String status(String jobId) {
        return pool.preparedQuery("SELECT status FROM jobs WHERE id = $1").executeAndAwait(Tuple.of(jobId))
                .iterator().next().getString("status");
    }

    BlobUri putBlob(String jobId) throws Exception {
        BlobUri blob = BlobKeys.directory(storage.bucket(), jobId).resolve("out.bin");
        byte[] bytes = {1, 2, 3};
        storage.store().upload(new ByteArrayInputStream(bytes), bytes.length, blob).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return blob;
    }

    boolean exists(BlobUri blob) throws Exception {
        return storage.store().metadata(blob).toCompletableFuture().get(30, TimeUnit.SECONDS).isPresent();
    }
}
