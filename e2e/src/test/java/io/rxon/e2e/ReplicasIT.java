package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.testing.RecordingSocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged orchestrator processes on one PostgreSQL behind a round-robin TCP proxy
 * ({@link ReplicaFleet}), as three replicas behind a Service without session affinity. Some tests
 * speak the worker protocol themselves with the workers' own transport, a new transport (so a new
 * connection, so the next replica) per step, to place each step on a chosen replica; the others
 * load the fleet with packaged long-poll and push workers and clients that know only the proxy.
 */
class ReplicasIT {

    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int JOBS = 2_000;

    // kept when a test fails: the processes' logs are in logs/
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dataDir;

    static ReplicaFleet fleet;

    @BeforeAll
    static void startReplicasBehindAProxy() {
        fleet = ReplicaFleet.start(dataDir);
        fleet.startWorker("poll-worker-1", false, 4);
        fleet.startWorker("poll-worker-2", false, 4);
        fleet.startWorker("push-worker-1", true, 4);
        fleet.startWorker("push-worker-2", true, 4);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void pollsOnEveryReplicaShouldGetWorkForAWorkerRegisteredThroughTheProxy() {
        // given a worker registered through the proxy on replica A
        String skill = "poll-" + shortId();
        String workerId = "w-poll-" + shortId();
        fleet.proxy.aim(A);
        transport(workerId).register(registration(workerId, skill, false));

        for (int round = 0; round < 6; round++) {
            // when a job waits and the worker's poll lands on A, B, C, A, B, C (the job submitted on another)
            String jobId = client((round + 1) % 3).submit(Map.of("type", skill, "params", Map.of("round", round)));
            fleet.proxy.aim(round % 3);
            long started = System.nanoTime();
            Optional<TaskPayload> task = transport(workerId).pollTask(Duration.ofSeconds(10), null, null);

            // then it gets that job at once, not after the poll's timeout
            assertThat(task).as("round %d", round).hasValueSatisfying(payload ->
                    assertThat(payload.jobId()).isEqualTo(jobId));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aPushSocketOnOneReplicaShouldGetPushAndCancelsFromEveryReplicaAndBeReplacedAcrossReplicas()
            throws Exception {
        // given a push worker registered through the proxy on replica A
        String skill = "push-" + shortId();
        String workerId = "w-push-" + shortId();
        fleet.proxy.aim(A);
        transport(workerId).register(registration(workerId, skill, true));

        // when its socket lands on replica B
        RecordingSocketListener onB = new RecordingSocketListener();
        fleet.proxy.aim(B);
        SocketSession socket = transport(workerId).openSocket(onB, false);
        onB.awaitConnected();

        for (int replica : List.of(A, C, B)) {
            // and grants a credit, and a job is submitted on A, C, B in turn
            socket.grantCredits(1).get(10, TimeUnit.SECONDS);
            String jobId = client(replica).submit(Map.of("type", skill, "params", Map.of()));

            // then B pushes it
            TaskPayload task = onB.tasks.poll(10, TimeUnit.SECONDS);
            assertThat(task).as("job submitted on replica %d", replica).isNotNull();
            assertThat(task.jobId()).isEqualTo(jobId);
            assertThat(onB.errors).isEmpty();

            // when the job is cancelled on that replica (A and C do not hold the socket)
            long cancelled = System.nanoTime();
            client(replica).cancel(jobId);

            // then the cancel reaches the running task on B within a second
            WorkerCommand command = onB.commands.poll(5, TimeUnit.SECONDS);
            assertThat(command).as("cancel on replica %d", replica).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(1));
            assertThat(command.taskId()).isEqualTo(task.taskId());
        }

        // when the worker opens a newer socket, landing on C
        RecordingSocketListener onC = new RecordingSocketListener();
        fleet.proxy.aim(C);
        SocketSession newer = transport(workerId).openSocket(onC, false);
        onC.awaitConnected();

        // then the older socket on B is closed with 1008, and the newer one stays
        assertThat(onB.awaitDisconnected()).isEqualTo(1008);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(onC.disconnected::isEmpty);
        newer.close();
    }

    @Test
    void eventsOnOneReplicaShouldIncludeThoseOfAJobSubmittedDispatchedAndRunThroughTheOthers() throws Exception {
        // given a worker registered through A, and a job submitted on A that a client follows on C
        String skill = "sse-" + shortId();
        String workerId = "w-sse-" + shortId();
        fleet.proxy.aim(A);
        transport(workerId).register(registration(workerId, skill, false));
        String jobId = client(A).submit(Map.of("type", skill, "params", Map.of()));
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> stream = client(C).follow(jobId, events::add);

        // when B hands the task out, and the worker's progress and result go to B and A
        fleet.proxy.aim(B);
        TaskPayload task = transport(workerId).pollTask(Duration.ofSeconds(10), null, null).orElseThrow();
        fleet.proxy.aim(B);
        assertThat(transport(workerId).emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId,
                task, 0.5, "half way", Instant.now().getEpochSecond()))).isTrue();
        fleet.proxy.aim(A);
        assertThat(transport(workerId).sendResult(TaskResult.success(task, workerId, Map.of("done", true),
                Instant.now().getEpochSecond()))).isTrue();

        // then C streamed every event of it, and ended the stream with the job
        stream.get(30, TimeUnit.SECONDS);
        assertThat(events).extracting(event -> event.get("type").asText())
                .startsWith("job_created", "task_dispatched").contains("progress").endsWith("job_finished");
    }

    @Test
    void twoThousandJobsThroughTheProxyShouldEachFinishOnceOnLongPollAndPushWorkers() throws Exception {
        // given packaged long-poll and push workers and four clients, all knowing only the proxy, and a client
        // following the first jobs' events on C
        Map<String, List<JsonNode>> followed = new HashMap<>();
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        JobLoad load = new JobLoad(fleet, 4, JOBS, n -> Map.of("type", "echo", "params", Map.of("n", n)));
        try (load) {
            await().atMost(ReplicaFleet.LOAD_WAIT).until(() -> load.acceptedCount() >= 12);
            for (String jobId : load.jobIds().subList(0, 12)) {
                List<JsonNode> events = new CopyOnWriteArrayList<>();
                followed.put(jobId, events);
                streams.add(client(C).follow(jobId, events::add));
            }

            // when they submit 2,000 echo jobs
            load.awaitSubmitted();
        }

        // then every one finished exactly once in effect, with its own result
        List<String> jobIds = load.jobIds();
        assertThat(load.unexpected).isEmpty();
        assertThat(load.unanswered).isEmpty();
        assertThat(jobIds).hasSizeGreaterThanOrEqualTo(JOBS);
        ExactlyOnce.awaitFinished(fleet, jobIds);
        Map<String, String> expected = new HashMap<>();
        load.accepted.forEach((jobId, n) -> expected.put(jobId, Integer.toString(n)));
        ExactlyOnce.assertFinishedOnce(fleet, expected, "n", fleet.clients);

        // and workers of both kinds ran them
        Map<String, String> byWorker = fleet.pairs("""
                SELECT assigned_worker_id, count(*) FROM jobs WHERE id = ANY(?) GROUP BY assigned_worker_id""",
                jobIds);
        assertThat(byWorker).containsOnlyKeys(fleet.workers.keySet());

        // and C streamed the events of the followed jobs, whichever replica they went through
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        followed.forEach((jobId, events) -> assertThat(events).as("events of %s on C", jobId)
                .extracting(event -> event.get("type").asText())
                .startsWith("job_created", "task_dispatched").endsWith("job_finished"));
    }

    @Test
    void cancelsOnAnyReplicaShouldReachTasksRunningOnPackagedWorkersOfBothKinds() {
        for (boolean push : List.of(true, false)) {
            // given three 20 s tasks running on workers of one kind (each has reported progress)
            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jobIds.add(fleet.throughProxy().submit(Map.of("type", "sleep", "params", Map.of("seconds", 20),
                        "requirements", ReplicaFleet.onWorkersOfKind(push))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> jobIds.stream()
                    .allMatch(jobId -> client(A).job(jobId).path("progress").asDouble() > 0));

            for (int replica = 0; replica < 3; replica++) {
                // when one is cancelled on each replica
                JsonNode job = client(A).job(jobIds.get(replica));
                String taskId = job.get("current_task_id").asText();
                Path log = fleet.workers.get(job.get("assigned_worker_id").asText()).log();
                long cancelled = System.nanoTime();
                assertThat(client(replica).cancel(jobIds.get(replica))).isBetween(200, 202);

                // then its worker stops it (logs it): a push worker within a second (over its socket), a
                // long-poll worker within a second after its next heartbeat (every second here) brought it
                Duration limit = push ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.readString(log).contains("cancelled task " + taskId));
                assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).as("cancel on replica %d", replica)
                        .isLessThan(limit);
            }
        }
    }

    private static ClientApi client(int replica) {
        return fleet.clients.get(replica);
    }

    private static Transport transport(String workerId) {
        return Transports.create(fleet.proxy.url(), workerId, fleet.cluster.workerToken());
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
