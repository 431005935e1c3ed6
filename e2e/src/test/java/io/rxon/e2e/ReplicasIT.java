package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.testing.RecordingSocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged orchestrator processes on one PostgreSQL (the first one's embedded server) behind a
 * round-robin TCP proxy, as two replicas behind a Service without session affinity: a worker
 * registered through the proxy is served by both. The test speaks the worker protocol itself with
 * the workers' own transport, a new transport (so a new connection, so the next replica) per step.
 */
class ReplicasIT {

    private static final int A = 0;
    private static final int B = 1;

    @TempDir
    static Path dataDir;

    static LocalCluster cluster;
    static RoundRobinProxy proxy;
    static ClientApi[] clients;

    @BeforeAll
    static void startReplicasBehindAProxy() {
        cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST);
        cluster.startOrchestrator();
        int second = ManagedProcess.freePort();
        cluster.startReplica("replica-b", second);
        proxy = new RoundRobinProxy(List.of(Integer.parseInt(cluster.orchestratorUrl().replaceAll(".*:", "")),
                second));
        clients = new ClientApi[] {cluster.client(), new ClientApi("http://127.0.0.1:" + second,
                cluster.clientToken())};
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void pollsOnEitherReplicaShouldGetWorkForAWorkerRegisteredThroughTheProxy() {
        // given a worker registered through the proxy on replica A
        String skill = "poll-" + shortId();
        String workerId = "w-poll-" + shortId();
        proxy.aim(A);
        transport(workerId).register(registration(workerId, skill, false));

        for (int round = 0; round < 4; round++) {
            // when a job waits and the worker's poll lands on A, then on B, then A, then B
            String jobId = clients[round % 2].submit(Map.of("type", skill, "params", Map.of("round", round)));
            proxy.aim(round % 2);
            long started = System.nanoTime();
            Optional<TaskPayload> task = transport(workerId).pollTask(Duration.ofSeconds(10), null, null);

            // then it gets that job at once, not after the poll's timeout
            assertThat(task).as("round %d", round).hasValueSatisfying(payload ->
                    assertThat(payload.jobId()).isEqualTo(jobId));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aPushSocketOnTheOtherReplicaShouldGetPushAndCancelsAndBeReplacedAcrossReplicas() throws Exception {
        // given a push worker registered through the proxy on replica A
        String skill = "push-" + shortId();
        String workerId = "w-push-" + shortId();
        proxy.aim(A);
        transport(workerId).register(registration(workerId, skill, true));

        // when its socket lands on replica B and grants a credit
        RecordingSocketListener onB = new RecordingSocketListener();
        proxy.aim(B);
        SocketSession socket = transport(workerId).openSocket(onB, false);
        assertThat(onB.connected.poll(10, TimeUnit.SECONDS)).isNotNull();
        socket.grantCredits(1).get(10, TimeUnit.SECONDS);
        String jobId = clients[A].submit(Map.of("type", skill, "params", Map.of()));

        // then B pushes the job submitted on A
        TaskPayload task = onB.tasks.poll(10, TimeUnit.SECONDS);
        assertThat(task).isNotNull();
        assertThat(task.jobId()).isEqualTo(jobId);
        assertThat(onB.errors).isEmpty();

        // when the job is cancelled on replica A, which does not hold the socket
        long cancelled = System.nanoTime();
        clients[A].cancel(jobId);

        // then the cancel reaches the running task on B within a second
        WorkerCommand command = onB.commands.poll(5, TimeUnit.SECONDS);
        assertThat(command).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(1));
        assertThat(command.taskId()).isEqualTo(task.taskId());

        // when the worker opens a newer socket, landing on A
        RecordingSocketListener onA = new RecordingSocketListener();
        proxy.aim(A);
        SocketSession newer = transport(workerId).openSocket(onA, false);
        assertThat(onA.connected.poll(10, TimeUnit.SECONDS)).isNotNull();

        // then the older socket on B is closed with 1008, and the newer one stays
        assertThat(onB.disconnected.poll(5, TimeUnit.SECONDS)).isEqualTo(1008);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(onA.disconnected::isEmpty);
        newer.close();
    }

    private static Transport transport(String workerId) {
        return Transports.create(proxy.url(), workerId, cluster.workerToken());
    }

    private static WorkerRegistration registration(String workerId, String skill, boolean push) {
        Map<String, Object> extra = push ? Map.of(Protocol.EXTRA_PUSH_DISPATCH, true) : Map.of();
        return new WorkerRegistration(workerId, null, List.of(SkillInfo.named(skill)), null, null,
                new Resources(null, Map.of("cpu_cores", 2)), null, null,
                new WorkerCapabilities("e2e-host", null, null, null, extra), null, null, null, null);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
