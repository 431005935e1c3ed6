package io.rxon.orchestrator.job;

import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.blob.Stages;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.rxon.common.blob.BlobKeys;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the blobs of jobs that ended more than the retention ago ({@code jobs/<job_id>/}) and of
 * uploads older than the upload retention ({@code jobs/<upload_id>/}), but never while a job whose
 * own blobs are still kept refers to them ({@code jobs.blob_owners}): such a directory waits for
 * the referring job's clean-up. A directory is marked cleaned only after its delete succeeded, so
 * a store outage merely postpones clean-up to the next round; several orchestrators may sweep at
 * once (deletes are idempotent).
 */
@ApplicationScoped
public class BlobJanitor {

    static final int BATCH = 100;

    private static final String EXPIRED_JOBS = """
            SELECT j.id FROM jobs j
            WHERE j.blobs_cleaned_at IS NULL AND j.finished_at IS NOT NULL AND j.finished_at < $1
              AND NOT EXISTS (SELECT 1 FROM jobs o
                              WHERE o.blob_owners @> ARRAY[j.id] AND o.blobs_cleaned_at IS NULL AND o.id <> j.id)
            ORDER BY j.finished_at
            LIMIT $2""";
    private static final String EXPIRED_UPLOADS = """
            SELECT u.id FROM blob_uploads u
            WHERE u.cleaned_at IS NULL AND u.created_at < $1
              AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.blob_owners @> ARRAY[u.id] AND o.blobs_cleaned_at IS NULL)
            ORDER BY u.created_at
            LIMIT $2""";

    private final Pool pool;
    private final BlobStorage storage;
    private final Clock clock;
    private final Duration retention;
    private final Duration uploadRetention;

    public BlobJanitor(Pool pool, BlobStorage storage, Clock clock, OrchestratorConfig config) {
        this.pool = pool;
        this.storage = storage;
        this.clock = clock;
        this.retention = config.blob().retention();
        this.uploadRetention = config.blob().uploadRetention();
    }

    @Scheduled(every = "${rxon.orchestrator.blob.cleanup-interval}", delayed = "${rxon.orchestrator.blob.cleanup-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep()
                .onFailure().invoke(error -> Log.warnf("blob clean-up postponed: %s", error.getMessage()))
                .onFailure().recoverWithItem(0)
                .replaceWithVoid();
    }

    /**
     * One round: every expired job and upload directory that no kept job refers to, including those
     * that became free during the round; returns how many directories were cleaned.
     */
    public Uni<Integer> sweep() {
        long now = clock.millis();
        return drain(EXPIRED_JOBS, now - retention.toMillis(), "UPDATE jobs SET blobs_cleaned_at = $2 WHERE id = $1", 0)
                .chain(jobs -> drain(EXPIRED_UPLOADS, now - uploadRetention.toMillis(),
                        "UPDATE blob_uploads SET cleaned_at = $2 WHERE id = $1", 0).map(uploads -> jobs + uploads));
    }

    private Uni<Integer> drain(String select, long cutoff, String mark, int done) {
        return pool.preparedQuery(select).execute(Tuple.of(cutoff, BATCH)).chain(rows -> {
            List<String> ids = new ArrayList<>();
            for (Row row : rows) {
                ids.add(row.getString("id"));
            }
            if (ids.isEmpty()) {
                return Uni.createFrom().item(done);
            }
            return Multi.createFrom().iterable(ids)
                    .onItem().transformToUniAndConcatenate(id -> clean(id, mark))
                    .collect().asList()
                    // again until nothing is left: a directory freed by this batch may now be due too
                    .chain(cleaned -> drain(select, cutoff, mark, done + cleaned.size()));
        });
    }

    private Uni<String> clean(String ownerId, String mark) {
        return Stages.<Boolean>uni(() -> storage.store().deleteDirectory(BlobKeys.directory(storage.bucket(), ownerId)))
                .invoke(deleted -> {
                    if (deleted) {
                        Log.debugf("deleted the blobs of %s", ownerId);
                    }
                })
                .chain(() -> pool.preparedQuery(mark).execute(Tuple.of(ownerId, clock.millis())))
                .replaceWith(ownerId);
    }
}
