package io.rxon.orchestrator.cluster;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.registration;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.testing.RecordingSocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.OtherInstancePool;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Any replica serves any worker: a worker registered through another orchestrator on the same
 * database is served here (polls, push socket), a registration changed there is re-read here at
 * once, commands and newer sockets announced there reach the socket here, and this instance
 * announces its registrations and sockets to listening peers (WorkerChannels).
 */
@QuarkusTest
class CrossInstanceWorkersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Vertx vertx;

    @Inject
    ClusterBroadcast broadcast;

    @Test
    void shouldServeAWorkerRegisteredThroughAnotherInstanceByPollAndByPush() throws Exception {
        // given a push worker that registered through another orchestrator (its row only, never seen here)
        String skill = uniqueSkill("registered-elsewhere");
        String workerId = uniqueWorker("elsewhere");
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 1);
        long now = System.currentTimeMillis();
        other.preparedQuery("""
                        INSERT INTO workers (id, registration, status, registered_at, last_seen_at)
                        VALUES ($1, $2::text::jsonb, 'idle', $3, $3)""")
                .execute(Tuple.of(workerId, Json.writeString(registration(workerId, List.of(skill),
                        new Resources(null, Map.of("cpu_cores", 2)), Map.of(Protocol.EXTRA_PUSH_DISPATCH, true))), now))
                .await().atMost(WAIT);
        Transport worker = transport(root, workerId);

        // when a job of its skill waits and it polls here
        String polled = submit(skill, Map.of());
        Optional<TaskPayload> task = worker.pollTask(Duration.ofSeconds(5), null, null);

        // then it gets the job at once
        assertThat(task).hasValueSatisfying(payload -> assertThat(payload.jobId()).isEqualTo(polled));

        // when it opens its socket here and grants a credit
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        session.grantCredits(1).get(5, TimeUnit.SECONDS);
        String pushed = submit(skill, Map.of());

        // then push was negotiated from the stored registration: the job is pushed, no error is sent
        TaskPayload delivered = recorder.tasks.poll(5, TimeUnit.SECONDS);
        assertThat(delivered).isNotNull();
        assertThat(delivered.jobId()).isEqualTo(pushed);
        assertThat(recorder.errors).isEmpty();
        session.close();
        other.closeAndAwait();
    }

    @Test
    void shouldReReadAWorkerWhoseSkillsAnotherInstanceChanged() {
        // given a worker known here with one skill
        String before = uniqueSkill("before");
        String after = uniqueSkill("after");
        String workerId = uniqueWorker("changed");
        Transport worker = registeredWorker(root, workerId, before);

        // when another orchestrator stores a new catalogue for it and announces the change
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 1);
        other.preparedQuery("""
                        UPDATE workers SET registration = jsonb_set(registration, '{supported_skills}', $2::text::jsonb)
                        WHERE id = $1""")
                .execute(Tuple.of(workerId, "[{\"name\": \"" + after + "\"}]"))
                .chain(() -> other.preparedQuery("SELECT pg_notify('rxon_workers', $1)")
                        .execute(Tuple.of("rxon-other-instance " + workerId)))
                .await().atMost(WAIT);

        // then a job of the new skill reaches its polls here
        String jobId = submit(after, Map.of());
        await().atMost(WAIT).untilAsserted(() -> assertThat(worker.pollTask(Duration.ofSeconds(1), null, null))
                .hasValueSatisfying(payload -> assertThat(payload.jobId()).isEqualTo(jobId)));
        other.closeAndAwait();
    }

    @Test
    void shouldSendCommandsRoutedByAnotherInstanceAndCloseAnOlderSocket() throws Exception {
        // given a worker's socket open here
        String workerId = uniqueWorker("routed");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("routed"));
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 1);

        // when another orchestrator announces an older socket of it, then routes a cancel to it
        other.preparedQuery("SELECT pg_notify('rxon_sockets', $1)")
                .execute(Tuple.of("rxon-other-instance " + workerId + " 1"))
                .chain(() -> other.preparedQuery("SELECT pg_notify('rxon_commands', $1)")
                        .execute(Tuple.of("rxon-other-instance " + workerId + " "
                                + Json.writeString(WorkerCommand.cancelTask("job-x", "task-x")))))
                .await().atMost(WAIT);

        // then the cancel goes down the socket here, which stays open
        WorkerCommand command = recorder.commands.poll(5, TimeUnit.SECONDS);
        assertThat(command).isNotNull();
        assertThat(command.taskId()).isEqualTo("task-x");
        assertThat(recorder.disconnected).isEmpty();

        // when it announces a newer socket of the same worker
        long newer = (System.currentTimeMillis() + 60_000) * 1000;
        other.preparedQuery("SELECT pg_notify('rxon_sockets', $1)")
                .execute(Tuple.of("rxon-other-instance " + workerId + " " + newer)).await().atMost(WAIT);

        // then the socket here is closed with 1008
        assertThat(recorder.awaitDisconnected()).isEqualTo(1008);
        session.close();
        other.closeAndAwait();
    }

    @Test
    void shouldAnnounceRegistrationsAndSocketsToListeningPeers() throws Exception {
        // given another orchestrator listening on the worker channels
        List<String> workers = new CopyOnWriteArrayList<>();
        List<String> sockets = new CopyOnWriteArrayList<>();
        PgSubscriber listener = OtherInstancePool.subscriber(vertx, "rxon-worker-peer-listener");
        listener.channel("rxon_workers").handler(workers::add);
        listener.channel("rxon_sockets").handler(sockets::add);
        listener.connect().await().atMost(WAIT);
        Pool other = OtherInstancePool.open(vertx, "rxon-worker-peer", 1);
        other.preparedQuery("SELECT pg_notify('rxon_peers', 'rxon-worker-peer')").execute().await().atMost(WAIT);
        await().atMost(WAIT).until(broadcast::hasPeers);

        // when a worker registers here and opens its socket
        String workerId = uniqueWorker("announced");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("announced"));
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();

        // then the peer hears of both, from this instance
        await().atMost(WAIT).until(() -> workers.contains(broadcast.instance() + " " + workerId));
        await().atMost(WAIT).until(() -> sockets.stream()
                .anyMatch(payload -> payload.startsWith(broadcast.instance() + " " + workerId + " ")));
        session.close();
        listener.closeAndForget();
        other.closeAndAwait();
        await().atMost(WAIT).until(() -> !broadcast.hasPeers());
    }
}
