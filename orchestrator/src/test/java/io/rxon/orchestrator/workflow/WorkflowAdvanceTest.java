package io.rxon.orchestrator.workflow;

import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.workflow.Workflows.definition;
import static io.rxon.orchestrator.workflow.Workflows.ended;
import static io.rxon.orchestrator.workflow.Workflows.job;
import static io.rxon.orchestrator.workflow.Workflows.register;
import static io.rxon.orchestrator.workflow.Workflows.start;
import static io.rxon.orchestrator.workflow.Workflows.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskResult;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How instances advance: from the step records kept since their last advance, and only while
 * those are what the database holds (another replica may have advanced the instance meanwhile);
 * and in which order a step's result locks rows (the workflow job before the step job).
 */
@QuarkusTest
class WorkflowAdvanceTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @Test
    @SuppressWarnings("unchecked")
    void shouldSeeAStepAnotherReplicaEndedWhenItsOwnStepEndsNext() throws Exception {
        // given a fork of a listen step and a skill call whose worker holds the task until released
        String skill = uniqueSkill("held");
        String name = "advance-" + UUID.randomUUID().toString().substring(0, 8);
        register(definition(name, """
                do:
                  - both:
                      fork:
                        branches:
                          - approval:
                              listen:
                                to:
                                  one:
                                    with:
                                      type: go
                          - work:
                              call: rxon
                              with:
                                skill: %s
                """.formatted(skill))).statusCode(201);
        CountDownLatch release = new CountDownLatch(1);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> {
            awaitQuietly(release);
            return TaskResult.success(task, id, Map.of("worked", true), SkillWorker.now());
        }, skill)) {
            String jobId = start(name, Map.of());
            await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 2 && worker.handled.get() == 0
                    && "running".equals(steps(job(jobId)).get(1).get("child_status")));
            assertThat(revision(jobId)).as("every advance writes a revision").isNotNull();

            // when another replica ends the listen step (as a signal there would) and so writes its own revision
            pool.preparedQuery("""
                    UPDATE workflow_steps SET status = 'succeeded', output = '{"approved": true}'::jsonb, finished_at = $2
                    WHERE job_id = $1 AND step_key = '/both/approval'""")
                    .executeAndAwait(Tuple.of(jobId, System.currentTimeMillis()));
            pool.preparedQuery("UPDATE workflow_instances SET revision = 'another-replica' WHERE job_id = $1")
                    .executeAndAwait(Tuple.of(jobId));
            // and then the skill call ends here
            release.countDown();

            // then this replica's advance read the steps again and saw both branches done
            Map<String, Object> job = ended(jobId, WITHIN);
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat((List<Map<String, Object>>) ((Map<String, Object>) job.get("result")).get("output"))
                    .containsExactly(Map.of("approved", true), Map.of("worked", true));
        }
    }

    @Test
    void shouldLockTheWorkflowJobBeforeItsStepJobWhenAResultComes() throws Exception {
        // given a one-call workflow whose worker holds its task until released
        String skill = uniqueSkill("ordered");
        String name = "order-" + UUID.randomUUID().toString().substring(0, 8);
        register(definition(name, """
                do:
                  - only:
                      call: rxon
                      with:
                        skill: %s
                """.formatted(skill))).statusCode(201);
        CountDownLatch release = new CountDownLatch(1);
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> {
            awaitQuietly(release);
            return TaskResult.success(task, id, Map.of("ok", true), SkillWorker.now());
        }, skill)) {
            String jobId = start(name, Map.of());
            await().atMost(WITHIN).until(() -> steps(job(jobId)).size() == 1
                    && "running".equals(steps(job(jobId)).get(0).get("child_status")));
            String stepJobId = (String) steps(job(jobId)).get(0).get("child_job_id");

            // when another transaction holds the workflow job (as a cancel does) and the step's result comes
            SqlConnection holder = pool.getConnectionAndAwait();
            Transaction transaction = holder.beginAndAwait();
            try {
                holder.preparedQuery("SELECT id FROM jobs WHERE id = $1 FOR UPDATE").executeAndAwait(Tuple.of(jobId));
                release.countDown();
                await().atMost(WITHIN).until(() -> waitingForALock() > 0);

                // then the result waits for the workflow job without holding its step job: a cancel, which locks the
                // workflow job first and then the step job, could take both (no deadlock)
                assertThat(lockableNow(stepJobId)).as("the step job is not locked by the waiting result").isTrue();
            } finally {
                transaction.rollbackAndAwait();
                holder.closeAndAwait();
            }

            // and once the workflow job is free, the result ends the step and the workflow
            assertThat(ended(jobId, WITHIN).get("status")).isEqualTo("finished");
        }
    }

    private long waitingForALock() {
        // The result's transaction, waiting to lock a job row (the workflow job) for update.
        return pool.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND datname = current_database() AND query ILIKE '%from jobs%for%update%'")
                .executeAndAwait().iterator().next().getLong(0);
    }

    private boolean lockableNow(String jobId) {
        SqlConnection probe = pool.getConnectionAndAwait();
        Transaction transaction = probe.beginAndAwait();
        try {
            probe.preparedQuery("SELECT id FROM jobs WHERE id = $1 FOR UPDATE NOWAIT").executeAndAwait(Tuple.of(jobId));
            return true;
        } catch (RuntimeException e) {
            // 55P03: lock_not_available, the row is locked by another transaction.
            return false;
        } finally {
            transaction.rollbackAndAwait();
            probe.closeAndAwait();
        }
    }

    private String revision(String jobId) {
        return pool.preparedQuery("SELECT revision FROM workflow_instances WHERE job_id = $1")
                .executeAndAwait(Tuple.of(jobId)).iterator().next().getString(0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
