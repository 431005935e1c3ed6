package io.rxon.orchestrator.cluster;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A task queued by another orchestrator on the same database reaches a worker parked here at once. */
@QuarkusTest
class CrossInstanceDispatchTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Vertx vertx;

    @Test
    void shouldWakeAParkedWorkerWhenAnotherInstanceQueuesATask() throws Exception {
        // given a worker parked in a long poll here
        String skill = uniqueSkill("elsewhere");
        Transport worker = registeredWorker(root, uniqueWorker("parked"), skill);
        CompletableFuture<Optional<TaskPayload>> poll = CompletableFuture.supplyAsync(
                () -> worker.pollTask(Duration.ofSeconds(9), null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.parkedPolls() > 0);

        // when another orchestrator (its own connections and name) queues a job for that skill
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 4);
        String jobId = UUID.randomUUID().toString();
        String taskId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        other.withTransaction(connection -> connection.preparedQuery("""
                        INSERT INTO jobs (id, client_id, type, status, max_attempts, created_at, updated_at, current_task_id)
                        VALUES ($1, 'default', $2, 'waiting_for_worker', 3, $3, $3, $4)""")
                        .execute(Tuple.of(jobId, skill, now, taskId))
                        .chain(() -> connection.preparedQuery("""
                                INSERT INTO tasks (id, job_id, attempt, type, status, created_at)
                                VALUES ($1, $2, 1, $3, 'pending', $4)""").execute(Tuple.of(taskId, jobId, skill, now))))
                .await().atMost(Duration.ofSeconds(10));

        // then the parked poll returns it long before its 9 s timeout
        Optional<TaskPayload> task = poll.get(4, TimeUnit.SECONDS);
        assertThat(task).hasValueSatisfying(payload -> {
            assertThat(payload.jobId()).isEqualTo(jobId);
            assertThat(payload.taskId()).isEqualTo(taskId);
        });
        other.closeAndAwait();
    }
}
