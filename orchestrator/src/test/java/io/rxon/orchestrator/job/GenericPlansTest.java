package io.rxon.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pool plans every statement once, generically (application.properties), so a plan cannot
 * see a parameter's value: the dispatch and sweep statements must reach their partial indexes
 * through literals alone, or they would read whole tables under a backlog; and a statement that
 * finds tasks by id must not be able to read a whole partial index instead ({@link StatusSql}).
 */
@QuarkusTest
class GenericPlansTest {

    private static final Pattern QUEUE_INDEX_SCAN =
            Pattern.compile("Index (Only )?Scan (Backward )?(using|on) tasks_(pending|leased) ");

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

    @Test
    void shouldFindTasksByTheirKeyEvenWhenTheStatisticsSayTheQueueIsEmpty() {
        // given statistics taken while no task was pending or running (a burst then fills the queue until the next ANALYZE)
        List<String> byKey = List.of(ClaimStatements.claim(false), ClaimStatements.claimNextPlain(false),
                ClaimStatements.PENDING_BY_ID, JobStatements.FINISH_WITH_SUCCESS, LeaseStatements.RENEW_AND_FIND_CANCELLED);

        // when the statements that look tasks up by id are planned
        List<String> plans = plannedOverAnEmptyQueue(byKey);

        // then none of them reads a whole queue index to find them
        assertThat(plans).hasSize(byKey.size())
                .allSatisfy(plan -> assertThat(wholeQueueIndexScans(plan)).as(plan).isEmpty());
    }

    /**
     * Generic plans made after an ANALYZE that saw many tasks, none of them pending or assigned,
     * as in a long-running database before a burst. The rows are made and hidden in a transaction
     * that is rolled back; the row counts ANALYZE wrote stay (PostgreSQL writes them in place)
     * until the next ANALYZE.
     */
    private List<String> plannedOverAnEmptyQueue(List<String> statements) {
        return inRolledBackTransaction(connection -> {
            connection.query(StatusSql.of("""
                    INSERT INTO tasks (id, job_id, attempt, type, priority, status, created_at)
                    SELECT 'statistics-' || n, 'statistics-job', 1, 'statistics', 0, {task:succeeded}, 0
                    FROM generate_series(1, 20000) AS n""")).executeAndAwait();
            connection.query(StatusSql.of("UPDATE tasks SET status = {task:expired} WHERE status IN ({task:pending}, "
                    + "{task:assigned})")).executeAndAwait();
            connection.query("ANALYZE tasks").executeAndAwait();
            return statements.stream().map(sql -> plan(connection, sql)).toList();
        });
    }

    /** Scans of tasks_pending or tasks_leased without an index condition: the whole index, whatever the queue holds. */
    private static List<String> wholeQueueIndexScans(String plan) {
        List<String> lines = plan.lines().toList();
        return IntStream.range(0, lines.size())
                .filter(i -> QUEUE_INDEX_SCAN.matcher(lines.get(i)).find())
                .filter(i -> i + 1 >= lines.size() || !lines.get(i + 1).strip().startsWith("Index Cond:"))
                .mapToObj(lines::get).toList();
    }

    private String genericPlan(String sql) {
        return inRolledBackTransaction(connection -> plan(connection, sql));
    }

    /**
     * What {@code work} finds on one connection, in a transaction that is rolled back, with
     * sequential scans priced out so that any usable index shows in a plan.
     */
    private <T> T inRolledBackTransaction(Function<SqlConnection, T> work) {
        SqlConnection connection = pool.getConnectionAndAwait();
        Transaction transaction = connection.beginAndAwait();
        try {
            connection.query("SET LOCAL enable_seqscan = off").executeAndAwait();
            return work.apply(connection);
        } finally {
            transaction.rollbackAndAwait();
            connection.closeAndAwait();
        }
    }

    /** The generic plan of a statement. */
    private static String plan(SqlConnection connection, String sql) {
        StringBuilder plan = new StringBuilder();
        connection.query("EXPLAIN (GENERIC_PLAN) " + sql).executeAndAwait()
                .forEach(row -> plan.append(row.getString(0)).append('\n'));
        return plan.toString();
    }
}
