package io.rxon.orchestrator.job;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes finished, failed, cancelled and quarantined jobs that ended more than the retention
 * ({@code rxon.orchestrator.jobs.retention}) ago, with their tasks and events (both go with the job
 * row: a statement trigger of V16 deletes them; the child jobs of a workflow go with it through the
 * {@code parent_job_id} key's cascade, their own tasks and events too), and the records of uploads
 * whose blobs were deleted as long ago.
 * A retention of zero keeps everything.
 *
 * <p><b>Blobs are never orphaned</b> because only jobs whose blobs the
 * {@link io.rxon.orchestrator.job.BlobJanitor} already deleted ({@code blobs_cleaned_at} set) are
 * removed. The janitor finds a job's directory through its row and marks it only after the delete
 * succeeded, and it keeps a directory while another kept job refers to it ({@code blob_owners});
 * removing rows the janitor has not finished with would lose both. The price is that a job stays
 * at least as long as its blobs ({@code blob.retention}, 24h by default) even when the job
 * retention is shorter; with the defaults (7 days) that never matters.
 *
 * <p><b>Dispatch is not disturbed</b>: a round is a series of statements, each deleting at most
 * {@code retention-batch-size} jobs, oldest first through the partial index {@code jobs_retention},
 * with a pause between statements. Each statement locks its jobs {@code FOR UPDATE SKIP LOCKED}, so
 * it never waits for a row someone else holds (a late result or event for such a job takes its
 * lock first and is simply skipped until the next round), and several orchestrators may sweep the
 * same database at once. Terminal jobs have no pending or assigned task, so the cascade locks no
 * row that a claim or a lease update locks.
 */
@ApplicationScoped
public class JobRetention {

    private static final String DELETE_JOBS = StatusSql.of("""
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs
                WHERE blobs_cleaned_at IS NOT NULL AND finished_at < $1 AND status IN ({job:ended})
                ORDER BY finished_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)""");

    private static final String DELETE_UPLOADS = """
            DELETE FROM blob_uploads WHERE id IN (
                SELECT id FROM blob_uploads WHERE cleaned_at < $1
                ORDER BY cleaned_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)""";

    /** The retention, the rows per statement and the pause between statements; a zero retention keeps everything. */
    public record Settings(Duration retention, int batchSize, Duration pause) {

        public Settings {
            if (retention.isNegative()) {
                throw new IllegalArgumentException("rxon.orchestrator.jobs.retention must not be negative: " + retention);
            }
            if (pause.isNegative()) {
                throw new IllegalArgumentException("rxon.orchestrator.jobs.retention-pause must not be negative: " + pause);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("rxon.orchestrator.jobs.retention-batch-size must be at least 1: "
                        + batchSize);
            }
        }

        static Settings of(OrchestratorConfig.Jobs jobs) {
            return new Settings(jobs.retention(), jobs.retentionBatchSize(), jobs.retentionPause());
        }

        boolean keepsEverything() {
            return retention.isZero();
        }
    }

    /** What one round deleted: jobs, the statements that took, and upload records. */
    public record Round(int jobs, int jobStatements, int uploads) {}

    private record Drained(int rows, int statements) {

        Drained plus(int deleted) {
            return new Drained(rows + deleted, statements + 1);
        }
    }

    private final Pool pool;
    private final Clock clock;
    private final Settings settings;

    @Inject
    public JobRetention(Pool pool, Clock clock, OrchestratorConfig config) {
        this(pool, clock, Settings.of(config.jobs()));
    }

    public JobRetention(Pool pool, Clock clock, Settings settings) {
        this.pool = pool;
        this.clock = clock;
        this.settings = settings;
    }

    @Scheduled(every = "${rxon.orchestrator.jobs.retention-interval}",
            delayed = "${rxon.orchestrator.jobs.retention-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep()
                .onFailure().invoke(error -> Log.warnf("job retention round postponed: %s", error.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One round: every job and upload record that is due, in bounded statements; nothing when the retention is zero. */
    public Uni<Round> sweep() {
        if (settings.keepsEverything()) {
            return Uni.createFrom().item(new Round(0, 0, 0));
        }
        long cutoff = clock.millis() - settings.retention().toMillis();
        return drain(DELETE_JOBS, cutoff, new Drained(0, 0))
                .chain(jobs -> drain(DELETE_UPLOADS, cutoff, new Drained(0, 0))
                        .map(uploads -> new Round(jobs.rows(), jobs.statements(), uploads.rows())))
                .invoke(round -> {
                    if (round.jobs() > 0 || round.uploads() > 0) {
                        Log.infof("retention: deleted %d jobs (in %d statements) and %d upload records older than %s",
                                round.jobs(), round.jobStatements(), round.uploads(), settings.retention());
                    }
                });
    }

    /** One statement after another until one deletes less than a full batch, pausing in between. */
    private Uni<Drained> drain(String delete, long cutoff, Drained done) {
        return pool.preparedQuery(delete).execute(Tuple.of(cutoff, settings.batchSize())).chain(rows -> {
            Drained now = done.plus(rows.rowCount());
            if (rows.rowCount() < settings.batchSize()) {
                return Uni.createFrom().item(now);
            }
            Uni<Void> pause = settings.pause().isZero() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().voidItem().onItem().delayIt().by(settings.pause());
            return pause.chain(() -> drain(delete, cutoff, now));
        });
    }
}
