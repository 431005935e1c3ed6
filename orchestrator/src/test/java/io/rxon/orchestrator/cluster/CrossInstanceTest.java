package io.rxon.orchestrator.cluster;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.events.JobEventBus;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Orchestrators sharing one database: a task queued by another reaches a worker parked here at
 * once, events stored there reach this instance's subscribers, and this instance notifies the
 * others exactly while there are any (ClusterBroadcast).
 */
@QuarkusTest
class CrossInstanceTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Vertx vertx;

    @Inject
    JobEventBus bus;

    @Inject
    ClusterBroadcast broadcast;

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
        // and, its transaction committed, tells the others (with a task of nobody's among the ids)
        other.preparedQuery("SELECT pg_notify('rxon_tasks', $1)")
                .execute(Tuple.of("rxon-other-instance " + UUID.randomUUID() + "," + taskId))
                .await().atMost(Duration.ofSeconds(10));

        // then the parked poll returns it long before its 9 s timeout
        Optional<TaskPayload> task = poll.get(4, TimeUnit.SECONDS);
        assertThat(task).hasValueSatisfying(payload -> {
            assertThat(payload.jobId()).isEqualTo(jobId);
            assertThat(payload.taskId()).isEqualTo(taskId);
        });
        other.closeAndAwait();
    }

    @Test
    void shouldPublishAnEventAnotherInstanceStored() {
        // given a subscriber of this instance's event bus
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 1);
        String jobId = submit(uniqueSkill("nobody-runs"), Map.of());
        String eventId = UUID.randomUUID().toString();
        List<JobEvent> received = new CopyOnWriteArrayList<>();
        Cancellable subscription = bus.stream().filter(event -> event.jobId().equals(jobId))
                .subscribe().with(received::add);

        // when another orchestrator stores an event of that job and notifies its id
        other.preparedQuery("""
                        INSERT INTO job_events (event_id, job_id, worker_id, type, payload, created_at)
                        VALUES ($1, $2, 'w-elsewhere', 'progress', '{"progress": 0.5}', 1)""")
                .execute(Tuple.of(eventId, jobId))
                .chain(() -> other.preparedQuery("SELECT pg_notify('rxon_events', $1)")
                        .execute(Tuple.of("rxon-other-instance " + eventId)))
                .await().atMost(Duration.ofSeconds(10));

        // then it is published here, as stored
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received).singleElement()
                .satisfies(event -> {
                    assertThat(event.eventId()).isEqualTo(eventId);
                    assertThat(event.workerId()).isEqualTo("w-elsewhere");
                    assertThat(event.payload()).isEqualTo(Map.of("progress", 0.5));
                }));
        subscription.cancel();
        other.closeAndAwait();
    }

    @Test
    void shouldNotifyOtherInstancesOnlyWhileTheyListen() {
        // given no other orchestrator: nothing to notify
        await().atMost(Duration.ofSeconds(5)).until(() -> !broadcast.hasPeers());

        // when another orchestrator starts listening and says hello
        List<String> notified = new CopyOnWriteArrayList<>();
        PgSubscriber listener = OtherInstancePool.subscriber(vertx, "rxon-peer-instance-listener");
        listener.channel("rxon_events").handler(notified::add);
        listener.connect().await().atMost(Duration.ofSeconds(10));
        Pool other = OtherInstancePool.open(vertx, "rxon-peer-instance", 1);
        other.preparedQuery("SELECT pg_notify('rxon_peers', 'rxon-peer-instance')").execute()
                .await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(broadcast::hasPeers);

        // then the events of a job submitted here reach it, by id
        String jobId = submit(uniqueSkill("nobody-runs"), Map.of());
        String created = other.preparedQuery("SELECT event_id FROM job_events WHERE job_id = $1 AND type = 'job_created'")
                .execute(Tuple.of(jobId)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString("event_id");
        await().atMost(Duration.ofSeconds(5)).until(() -> notified.stream()
                .anyMatch(payload -> payload.startsWith(broadcast.instance() + " ") && payload.contains(created)));

        // and once it has gone, this instance stops notifying
        listener.closeAndForget();
        other.closeAndAwait();
        await().atMost(Duration.ofSeconds(5)).until(() -> !broadcast.hasPeers());
    }
}
