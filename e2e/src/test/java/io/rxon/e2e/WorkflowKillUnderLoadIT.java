package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the orchestrator while steps commit (docs/WORKFLOWS.md): a workflow of 80 short steps,
 * 16 at a time, answered by four workers as fast as they can, so that each kill lands among
 * results in flight: transactions that advance the instance, start steps and write its revision.
 * After four kills and restarts, no step is lost, none is recorded twice, and the output has
 * every item once, in order. (A task whose result died with the process is run again after its
 * lease: at least once on workers, exactly once in effect.)
 */
class WorkflowKillUnderLoadIT {

    private static final String SKILL = "busy_step";
    private static final int ITEMS = 80;
    private static final int KILLS = 4;

    private static final String DEFINITION = """
            document: {dsl: '1.0.0', namespace: crash, name: busy, version: '1.0.0'}
            do:
              - each:
                  for: {each: n, in: '${ .items }'}
                  metadata: {concurrency: 16}
                  do:
                    - item:
                        call: rxon
                        with: {skill: busy_step, params: {n: '${ $n }'}, max_attempts: 10}
            """;

    @TempDir
    Path dataDir;

    private final Map<Integer, Integer> executions = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    private ManagedProcess start(int port, Path workflows) {
        // A short lease: a task whose result died with the process comes back soon.
        return ManagedProcess.start("orchestrator", RxonHome.orchestratorJar(), port,
                Map.of("RXON_DATA_DIR", dataDir.toString(), "QUARKUS_HTTP_PORT", Integer.toString(port),
                        "QUARKUS_HTTP_HOST", "127.0.0.1", "RXON_WORKFLOWS_DIR", workflows.toString(),
                        "RXON_WORKFLOW_TICK_INTERVAL", "200ms", "RXON_ORCHESTRATOR_TIMING_LIVENESS_TIMEOUT", "3s"),
                dataDir.resolve("logs")).awaitReady(Duration.ofSeconds(120));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldLoseNoStepAndRecordNoneTwiceWhenKilledWhileStepsCommit() throws Exception {
        // given a started workflow of 80 short steps and four busy workers
        Path workflows = Files.createDirectories(dataDir.resolve("workflows"));
        Files.writeString(workflows.resolve("busy.yaml"), DEFINITION);
        int port = ManagedProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        ManagedProcess orchestrator = start(port, workflows);
        String jobId = client(base).submit(Map.of("workflow", "busy", "input",
                Map.of("items", IntStream.range(0, ITEMS).boxed().toList())));
        ExecutorService workers = Executors.newFixedThreadPool(4);
        IntStream.range(0, 4).forEach(i -> workers.submit(() -> work(base, "busy-worker-" + i)));
        try {
            // when the orchestrator is killed four times while results stream in, and restarted each time
            for (int kill = 1; kill <= KILLS; kill++) {
                int succeeded = kill * ITEMS / (KILLS + 1);
                await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                        .until(() -> succeededSteps(client(base).job(jobId)) >= succeeded);
                orchestrator.kill();
                orchestrator = start(port, workflows);
            }

            // then the workflow finished with every item once, in order, each step recorded once as succeeded
            JsonNode job = client(base).awaitEnd(jobId, Duration.ofSeconds(120));
            assertThat(job.path("status").asText()).isEqualTo("finished");
            List<Integer> output = new ArrayList<>();
            job.path("result").path("output").forEach(item -> output.add(item.path("n").asInt()));
            assertThat(output).containsExactlyElementsOf(IntStream.range(0, ITEMS).boxed().toList());
            Set<String> keys = new HashSet<>();
            job.path("steps").forEach(step -> keys.add(step.path("step").asText()));
            assertThat(job.path("steps")).hasSize(ITEMS);
            assertThat(keys).hasSize(ITEMS);
            assertThat(succeededSteps(job)).isEqualTo(ITEMS);
            // and no item was lost on the way: each ran on a worker at least once
            assertThat(executions.keySet()).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, ITEMS).boxed().toList());
        } finally {
            stop.set(true);
            workers.shutdown();
            workers.awaitTermination(30, TimeUnit.SECONDS);
            orchestrator.close();
        }
    }

    /** A worker that answers every task at once and sends each result until it is taken, across restarts. */
    private void work(String base, String workerId) {
        Transport transport = null;
        TaskResult pending = null;
        while (!stop.get()) {
            try {
                if (transport == null) {
                    transport = worker(base, workerId);
                }
                if (pending != null) {
                    transport.sendResult(pending);
                    pending = null;
                    continue;
                }
                Optional<TaskPayload> task = transport.pollTask(Duration.ofSeconds(1), null, null);
                if (task.isPresent()) {
                    int n = ((Number) task.get().params().get("n")).intValue();
                    executions.merge(n, 1, Integer::sum);
                    pending = TaskResult.success(task.get(), workerId, Map.of("n", n), Instant.now().getEpochSecond());
                }
            } catch (Exception e) {
                // The orchestrator is down (killed): connect again once it is back.
                if (transport != null) {
                    transport.close();
                    transport = null;
                }
                ManagedProcess.pause(Duration.ofMillis(200));
            }
        }
        if (transport != null) {
            transport.close();
        }
    }

    private static int succeededSteps(JsonNode job) {
        int succeeded = 0;
        for (JsonNode step : job.path("steps")) {
            succeeded += "succeeded".equals(step.path("status").asText()) ? 1 : 0;
        }
        return succeeded;
    }

    private Transport worker(String base, String workerId) throws Exception {
        Transport worker = Transports.create(base, workerId, Files.readString(dataDir.resolve("worker-token")).trim());
        worker.register(new WorkerRegistration(workerId, null, List.of(SkillInfo.named(SKILL)), null, null, null,
                null, null, null, null, null, null, null));
        return worker;
    }

    private ClientApi client(String base) throws Exception {
        return new ClientApi(base, Files.readString(dataDir.resolve("client-token")).trim());
    }
}
