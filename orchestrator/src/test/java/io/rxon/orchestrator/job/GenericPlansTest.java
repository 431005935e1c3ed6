package io.rxon.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The pool plans every statement once, generically (application.properties), so a plan cannot
 * see a parameter's value: the dispatch and sweep statements must reach their partial indexes
 * through literals alone, or they would read whole tables under a backlog.
 */
@QuarkusTest
class GenericPlansTest {

    @Inject
    Pool pool;

    @Test
    void shouldPlanThePoolsStatementsGenerically() {
        String mode = pool.query("SHOW plan_cache_mode").executeAndAwait().iterator().next().getString(0);

        assertThat(mode).isEqualTo("force_generic_plan");
    }

    @Test
    void shouldReadThePendingHeadsOfAPollsClaimThroughTheQueueIndex() {
        assertThat(genericPlan(ClaimStatements.claimNextPlain(false))).contains("tasks_pending");
        assertThat(genericPlan(ClaimStatements.SELECT_CANDIDATES)).contains("tasks_pending");
    }

    @Test
    void shouldFindExpiredLeasesAndJobsPastTheirDeadlineThroughTheirPartialIndexes() {
        assertThat(genericPlan(LeaseStatements.EXPIRE_LEASES)).contains("tasks_leased");
        assertThat(genericPlan(LeaseStatements.JOBS_PAST_DEADLINE)).contains("jobs_open_deadline");
    }

    /** The generic plan of a statement, with sequential scans priced out so that any usable index shows. */
    private String genericPlan(String sql) {
        SqlConnection connection = pool.getConnectionAndAwait();
        Transaction transaction = connection.beginAndAwait();
        try {
            connection.query("SET LOCAL enable_seqscan = off").executeAndAwait();
            StringBuilder plan = new StringBuilder();
            connection.query("EXPLAIN (GENERIC_PLAN) " + sql).executeAndAwait()
                    .forEach(row -> plan.append(row.getString(0)).append('\n'));
            return plan.toString();
        } finally {
            transaction.rollbackAndAwait();
            connection.closeAndAwait();
        }
    }
}
