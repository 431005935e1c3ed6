package io.rxon.orchestrator.job;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.job.JobRows.daysAgo;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.blob.BlobUri;
import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention against the real database and blob store: terminal jobs past the retention go with
 * their tasks, events and blobs, everything else stays, a backlog goes in bounded statements, and
 * no job row is removed while its blobs are kept.
 */
@QuarkusTest
class JobRetentionTest {

    private static final Duration ROUND = Duration.ofSeconds(60);
    private static final List<Long> GONE = List.of(0L, 0L, 0L);

    @Inject
    Pool pool;

    @Inject
    BlobStorage storage;

    @Inject
    BlobJanitor janitor;

    @Inject
    JobRetention retention;

    @Inject
    OrchestratorConfig config;

    @Inject
    Clock clock;

    private JobRows rows;

    @BeforeEach
    void rows() {
        rows = new JobRows(pool, storage);
    }

    private static String id(String base) {
        return "retention-" + base + "-" + UUID.randomUUID();
    }

    private void sweep() {
        janitor.sweep().await().atMost(ROUND);
        retention.sweep().await().atMost(ROUND);
    }

    @Test
    void shouldDeleteExactlyTheTerminalJobsPastRetentionWithTheirTasksEventsAndBlobs() throws Exception {
        // given: one job in each terminal status that ended 8 days ago, each with a task, an event and a blob
        String type = uniqueSkill("retention");
        Map<String, BlobUri> old = new LinkedHashMap<>();
        for (String[] status : List.of(new String[] {"finished", "succeeded"}, new String[] {"failed", "failed"},
                new String[] {"cancelled", "cancelled"}, new String[] {"quarantined", "expired"})) {
            String jobId = id(status[0]);
            rows.insert(jobId, type, status[0], status[1], daysAgo(9), daysAgo(8), null);
            old.put(jobId, rows.putBlob(jobId));
        }
        // and a job cancelled through the API, with the rows the orchestrator itself writes, aged likewise
        String cancelled = submit(type, Map.of());
        given().header("Authorization", "Bearer " + CLIENT_TOKEN).when().post("/api/v1/jobs/" + cancelled + "/cancel")
                .then().statusCode(200);
        rows.age(cancelled, daysAgo(8));
        old.put(cancelled, rows.putBlob(cancelled));
        // and jobs that must stay: one that ended a day ago, and live ones created 8 days ago
        String recent = id("recent");
        rows.insert(recent, type, "finished", "succeeded", daysAgo(2), daysAgo(1), null);
        String running = id("running");
        rows.insert(running, type, "running", "assigned", daysAgo(8), null, null);
        String waiting = id("waiting");
        rows.insert(waiting, type, "waiting_for_worker", "pending", daysAgo(8), null, null);
        String pending = id("pending");
        rows.insert(pending, type, "pending", "pending", daysAgo(8), null, null);
        BlobUri runningBlob = rows.putBlob(running);

        // when the blob janitor and then the retention run
        sweep();

        // then the old terminal jobs are gone with every row and blob
        for (Map.Entry<String, BlobUri> job : old.entrySet()) {
            assertThat(rows.rowsOf(job.getKey())).as(job.getKey()).isEqualTo(GONE);
            assertThat(rows.exists(job.getValue())).as(job.getValue().toString()).isFalse();
        }
        // and the others are untouched
        assertThat(rows.rowsOf(recent)).isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rows.rowsOf(running)).isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rows.rowsOf(waiting)).isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rows.rowsOf(pending)).isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rows.status(running)).isEqualTo("running");
        assertThat(rows.status(waiting)).isEqualTo("waiting_for_worker");
        assertThat(rows.status(pending)).isEqualTo("pending");
        assertThat(rows.exists(runningBlob)).isTrue();
    }

    @Test
    void shouldKeepAnOldJobWhoseBlobsAnotherKeptJobStillRefersTo() throws Exception {
        // given: job A ended 8 days ago; job B, still running, refers to A's blob
        String type = uniqueSkill("retention_owner");
        String jobA = id("referred");
        rows.insert(jobA, type, "finished", "succeeded", daysAgo(9), daysAgo(8), null);
        BlobUri blobOfA = rows.putBlob(jobA);
        String jobB = id("referring");
        rows.insert(jobB, type, "running", "assigned", daysAgo(1), null, null, jobA);

        // when
        sweep();

        // then A stays, row and blob: removing the row would leave its blob to nobody
        assertThat(rows.rowsOf(jobA)).isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rows.exists(blobOfA)).isTrue();

        // and when B ends too and its own retention passes, both go
        pool.preparedQuery("UPDATE jobs SET status = 'finished', finished_at = $2 WHERE id = $1")
                .executeAndAwait(Tuple.of(jobB, daysAgo(8)));
        sweep();
        assertThat(rows.rowsOf(jobA)).isEqualTo(GONE);
        assertThat(rows.rowsOf(jobB)).isEqualTo(GONE);
        assertThat(rows.exists(blobOfA)).isFalse();
    }

    @Test
    void shouldDeleteTheTasksAndEventsOfAChildJobThatGoesWithItsWorkflow() {
        // given: a workflow job past retention, and its step's child job, ended yesterday: not due on its own
        String type = uniqueSkill("retention_child");
        String parent = id("workflow");
        String child = id("step");
        rows.insert(parent, type, "finished", "succeeded", daysAgo(9), daysAgo(8), daysAgo(8));
        rows.insert(child, type, "finished", "succeeded", daysAgo(2), daysAgo(1), null);
        rows.makeChildOf(child, parent);

        // when the retention runs
        retention.sweep().await().atMost(ROUND);

        // then the child went with its workflow (the key cascades), its task and event with it
        assertThat(rows.rowsOf(parent)).isEqualTo(GONE);
        assertThat(rows.rowsOf(child)).isEqualTo(GONE);
    }

    @Test
    void shouldDeleteABacklogLargerThanABatchInSeveralBoundedStatements() {
        // given: two and a half batches of old jobs whose blobs are already gone, with tasks and events
        int batch = config.jobs().retentionBatchSize();
        int backlog = 2 * batch + batch / 2;
        String prefix = id("backlog");
        rows.insertBacklog(prefix, backlog, daysAgo(8));

        // when
        JobRetention.Round round = retention.sweep().await().atMost(ROUND);

        // then every job went, in statements of at most one batch each
        assertThat(round.jobs()).isEqualTo(backlog);
        assertThat(round.jobStatements()).isEqualTo(3);
        assertThat(rows.rowsWithPrefix(prefix)).isZero();
    }

    @Test
    void shouldSkipAJobAnotherTransactionHoldsLockedInsteadOfWaitingForIt() {
        // given two old jobs whose blobs are gone, one of them locked by a transaction still open
        String type = uniqueSkill("retention_locked");
        String free = id("free");
        String locked = id("locked");
        rows.insert(free, type, "finished", "succeeded", daysAgo(9), daysAgo(8), daysAgo(8));
        rows.insert(locked, type, "cancelled", "cancelled", daysAgo(9), daysAgo(8), daysAgo(8));
        SqlConnection holder = pool.getConnectionAndAwait();
        Transaction transaction = holder.beginAndAwait();
        try {
            holder.preparedQuery("SELECT id FROM jobs WHERE id = $1 FOR UPDATE").executeAndAwait(Tuple.of(locked));

            // when a round runs meanwhile
            JobRetention.Round round = retention.sweep().await().atMost(Duration.ofSeconds(10));

            // then it finishes at once without the locked job
            assertThat(round.jobs()).isEqualTo(1);
            assertThat(rows.rowsOf(free)).isEqualTo(GONE);
            assertThat(rows.rowsOf(locked)).isEqualTo(List.of(1L, 1L, 1L));
        } finally {
            transaction.rollbackAndAwait();
            holder.closeAndAwait();
        }

        // and the next round, the lock released, takes it
        retention.sweep().await().atMost(ROUND);
        assertThat(rows.rowsOf(locked)).isEqualTo(GONE);
    }

    @Test
    void shouldKeepEveryJobWhenTheRetentionIsZero() {
        // given an old job whose blobs are gone, and a retention of zero
        String jobId = id("kept");
        rows.insert(jobId, uniqueSkill("retention_zero"), "finished", "succeeded", daysAgo(400), daysAgo(399),
                daysAgo(398));
        JobRetention keepAll = new JobRetention(pool, clock, new JobRetention.Settings(Duration.ZERO, 50, Duration.ZERO));

        // when
        JobRetention.Round round = keepAll.sweep().await().atMost(ROUND);

        // then nothing is deleted, where the default retention deletes the job
        assertThat(round).isEqualTo(new JobRetention.Round(0, 0, 0));
        assertThat(rows.rowsOf(jobId)).isEqualTo(List.of(1L, 1L, 1L));
        retention.sweep().await().atMost(ROUND);
        assertThat(rows.rowsOf(jobId)).isEqualTo(GONE);
    }

    @Test
    void shouldDeleteUploadRecordsOnlyLongAfterTheirBlobsWereDeleted() {
        // given: uploads cleaned 8 days and 1 day ago, and one never cleaned
        String longGone = id("upload-old");
        String recentlyGone = id("upload-recent");
        String kept = id("upload-kept");
        pool.preparedQuery("INSERT INTO blob_uploads (id, client_id, created_at, cleaned_at) VALUES ($1, 'default', $2, $3)")
                .executeBatchAndAwait(List.of(Tuple.of(longGone, daysAgo(9), daysAgo(8)),
                        Tuple.of(recentlyGone, daysAgo(9), daysAgo(1)), Tuple.tuple().addString(kept)
                                .addLong(clock.millis()).addLong(null)));

        // when
        JobRetention.Round round = retention.sweep().await().atMost(ROUND);

        // then
        assertThat(round.uploads()).isEqualTo(1);
        assertThat(rows.count("blob_uploads", "id", longGone)).isZero();
        assertThat(rows.count("blob_uploads", "id", recentlyGone)).isOne();
        assertThat(rows.count("blob_uploads", "id", kept)).isOne();
    }

    @Test
    void shouldLookUpBlobOwnersThroughTheIndexThatLeavesJobsWithoutBlobsOut() {
        // given a connection on which the planner may not read the whole table when an index serves
        SqlConnection connection = pool.getConnectionAndAwait();
        Transaction transaction = connection.beginAndAwait();
        try {
            connection.query("SET LOCAL enable_seqscan = off").executeAndAwait();

            // when the janitor's look-up of jobs that still refer to a job's blobs is planned
            StringBuilder plan = new StringBuilder();
            connection.preparedQuery("EXPLAIN SELECT 1 FROM jobs o WHERE o.blob_owners @> ARRAY[$1::text]"
                    + " AND o.blobs_cleaned_at IS NULL").executeAndAwait(Tuple.of("some-job"))
                    .forEach(row -> plan.append(row.getString(0)).append('\n'));

            // then it uses the partial GIN index, whose predicate (blob_owners IS NOT NULL) the strict @> implies
            assertThat(plan.toString()).contains("jobs_blob_owners");
        } finally {
            transaction.rollbackAndAwait();
            connection.closeAndAwait();
        }
    }

    @Test
    void shouldRefuseANegativeRetentionOrAnEmptyBatch() {
        assertThatThrownBy(() -> new JobRetention.Settings(Duration.ofDays(-1), 50, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> new JobRetention.Settings(Duration.ofDays(7), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch-size");
    }
}
