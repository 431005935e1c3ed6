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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A claim commits without waiting for its WAL flush (ClaimStatements#commitMode), and that must
 * stay the claim's own business: on a pool of one connection, the next transaction, which may be
 * a result, waits for its flush again. (The test database itself never waits, for speed, so the
 * claiming connection asks to wait first.)
 */
@QuarkusTest
class ClaimCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Vertx vertx;

    @Test
    void shouldCommitAClaimAsynchronouslyAndNoTransactionAfterIt() {
        // given a pending task
        String skill = uniqueSkill("async-claim");
        String jobId = submit(skill, Map.of());

        // when a connection whose commits wait for their flush claims it
        Claim claim = claimOnAConnectionThatWaitsForFlushes(ClaimStatements.claimNextPlain(false), skill);

        // then the claim committed with synchronous_commit off, everyone sees it, and the connection is back to on
        assertThat(claim.jobId()).isEqualTo(jobId);
        assertThat(claim.row().getString("commit_mode")).isEqualTo("off");
        assertThat(job(jobId)).containsEntry("status", "running");
        assertThat(claim.nextTransactionsMode()).isEqualTo("on");
    }

    @Test
    void shouldLeaveAClaimsCommitAloneWhenClaimsMustBeDurable() {
        // given a pending task
        String skill = uniqueSkill("durable-claim");
        String jobId = submit(skill, Map.of());

        // when a connection whose commits wait for their flush claims it, with durable claims
        Claim claim = claimOnAConnectionThatWaitsForFlushes(ClaimStatements.claimNextPlain(true), skill);

        // then the claim took the task without touching how it commits
        assertThat(claim.jobId()).isEqualTo(jobId);
        assertThat(claim.columns()).doesNotContain("commit_mode");
        assertThat(claim.nextTransactionsMode()).isEqualTo("on");
    }

    /** What a claim returned, and the synchronous_commit of the next transaction on its connection. */
    private record Claim(Row row, List<String> columns, String nextTransactionsMode) {
        String jobId() {
            return row.getString("id");
        }
    }

    private Claim claimOnAConnectionThatWaitsForFlushes(String statement, String skill) {
        Pool single = OtherInstancePool.open(vertx, "rxon-claim-commit", 1);
        try {
            single.query("SET synchronous_commit = on").execute().await().atMost(WAIT);
            long now = System.currentTimeMillis();
            String[] skills = {skill};
            RowSet<Row> rows = single.preparedQuery(statement)
                    .execute(Tuple.of("claim-commit-worker", now, now + 60_000, UUID.randomUUID().toString(), skills,
                            skills))
                    .await().atMost(WAIT);
            String mode = single.query("SELECT current_setting('synchronous_commit')").execute().await().atMost(WAIT)
                    .iterator().next().getString(0);
            return new Claim(rows.iterator().next(), rows.columnsNames(), mode);
        } finally {
            single.closeAndAwait();
        }
    }
}
