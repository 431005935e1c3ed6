package io.rxon.orchestrator.job;

import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A claim commits without waiting for its WAL flush (ClaimStatements#commitMode), and that must
 * stay the claim's own business: on a pool of one connection, the next transaction, which may be
 * a result, waits for its flush again. (The test database itself never waits, for speed, so the
 * connection asks to wait first.)
 */
@QuarkusTest
class ClaimCommitTest {

    @Inject
    Vertx vertx;

    @Test
    void shouldCommitAClaimAsynchronouslyAndNoTransactionAfterIt() {
        // given a pending task and a claimer with a single connection whose commits wait for their flush
        String skill = uniqueSkill("async-claim");
        String jobId = submit(skill, Map.of());
        Pool single = durableConnection("rxon-async-claim");
        try {
            // when it claims the task
            Row claimed = claimNext(single, ClaimStatements.claimNextPlain(false), skill).iterator().next();
            String nextTransactionsMode = synchronousCommit(single);

            // then the claim committed with synchronous_commit off, everyone sees it, and the connection is back to on
            assertThat(claimed.getString("id")).isEqualTo(jobId);
            assertThat(claimed.getString("commit_mode")).isEqualTo("off");
            assertThat(job(jobId)).containsEntry("status", "running");
            assertThat(nextTransactionsMode).isEqualTo("on");
        } finally {
            single.closeAndAwait();
        }
    }

    @Test
    void shouldLeaveAClaimsCommitAloneWhenClaimsMustBeDurable() {
        // given a pending task and a claimer with a single connection whose commits wait for their flush
        String skill = uniqueSkill("durable-claim");
        String jobId = submit(skill, Map.of());
        Pool single = durableConnection("rxon-durable-claim");
        try {
            // when it claims the task with durable claims
            RowSet<Row> claimed = claimNext(single, ClaimStatements.claimNextPlain(true), skill);

            // then the claim took the task without touching how it commits
            assertThat(claimed.iterator().next().getString("id")).isEqualTo(jobId);
            assertThat(claimed.columnsNames()).doesNotContain("commit_mode");
            assertThat(synchronousCommit(single)).isEqualTo("on");
        } finally {
            single.closeAndAwait();
        }
    }

    /** A pool of one connection whose commits wait for their flush. */
    private Pool durableConnection(String name) {
        Pool single = OtherInstancePool.open(vertx, name, 1);
        single.query("SET synchronous_commit = on").execute().await().atMost(Duration.ofSeconds(10));
        return single;
    }

    private static RowSet<Row> claimNext(Pool pool, String statement, String skill) {
        long now = System.currentTimeMillis();
        String[] skills = {skill};
        return pool.preparedQuery(statement)
                .execute(Tuple.of("claim-commit-worker", now, now + 60_000, UUID.randomUUID().toString(), skills, skills))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static String synchronousCommit(Pool pool) {
        return pool.query("SELECT current_setting('synchronous_commit')").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
    }
}
