package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow survives kill -9 of its orchestrator at every kind of step (docs/WORKFLOWS.md): the
 * packaged orchestrator, on embedded defaults, loads the definitions from RXON_WORKFLOWS_DIR and
 * runs one through a call, a fork, a capped for, a timer, a signal and a sub-workflow; after each
 * result (and after the signal) it is killed and restarted. Every step runs exactly once, none is
 * lost, and the workflow ends with the right output.
 */
class WorkflowCrashIT {

    private static final String SKILL = "crash_step";

    private static final String CHILD = """
            document: {dsl: '1.0.0', namespace: crash, name: crash-child, version: '1.0.0'}
            do:
              - child:
                  call: rxon
                  with: {skill: crash_step, params: {step: child}}
            """;

    private static final String PARENT = """
            document: {dsl: '1.0.0', namespace: crash, name: crash-parent, version: '1.0.0'}
            do:
              - first:
                  call: rxon
                  with: {skill: crash_step, params: {step: first}}
              - fan:
                  fork:
                    branches:
                      - a:
                          call: rxon
                          with: {skill: crash_step, params: {step: a}}
                      - b:
                          call: rxon
                          with: {skill: crash_step, params: {step: b}}
              - each:
                  for: {each: n, in: '${ [1, 2, 3] }'}
                  metadata: {concurrency: 2}
                  do:
                    - item:
                        call: rxon
                        with: {skill: crash_step, params: {step: '${ "item" + ($n | tostring) }'}}
              - pause:
                  wait: {milliseconds: 500}
              - approval:
                  listen:
                    to:
                      one:
                        with: {type: approval}
              - sub:
                  run:
                    workflow: {namespace: crash, name: crash-child, version: '1.0.0'}
              - last:
                  call: rxon
                  with: {skill: crash_step, params: {step: last}}
            """;

    @TempDir
    Path dataDir;

    private ManagedProcess start(int port, Path workflows) {
        return ManagedProcess.start("orchestrator", RxonHome.orchestratorJar(), port,
                Map.of("RXON_DATA_DIR", dataDir.toString(), "QUARKUS_HTTP_PORT", Integer.toString(port),
                        "QUARKUS_HTTP_HOST", "127.0.0.1", "RXON_WORKFLOWS_DIR", workflows.toString(),
                        "RXON_WORKFLOW_TICK_INTERVAL", "200ms"), dataDir.resolve("logs"))
                .awaitReady(Duration.ofSeconds(120));
    }

    @Test
    void shouldRunEveryStepExactlyOnceAcrossAKillAfterEachOfThem() throws Exception {
        // given the definitions in RXON_WORKFLOWS_DIR and a started workflow
        Path workflows = Files.createDirectories(dataDir.resolve("workflows"));
        Files.writeString(workflows.resolve("child.yaml"), CHILD);
        Files.writeString(workflows.resolve("parent.yaml"), PARENT);
        int port = ManagedProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        List<String> ran = new ArrayList<>();
        ManagedProcess orchestrator = start(port, workflows);
        String jobId = client(base).submit(Map.of("workflow", "crash-parent", "input", Map.of()));
        int kills = 0;
        try {
            // when, after every result it accepted and after the signal, the orchestrator is killed and restarted
            for (int round = 0; round < 40 && !ended(client(base).job(jobId)); round++) {
                boolean acted;
                try (Transport worker = worker(base)) {
                    Optional<TaskPayload> task = worker.pollTask(Duration.ofSeconds(3), null, null);
                    acted = task.isPresent();
                    if (task.isPresent()) {
                        ran.add((String) task.get().params().get("step"));
                        assertThat(worker.sendResult(TaskResult.success(task.get(), "crash-worker",
                                Map.of("step", task.get().params().get("step")), Instant.now().getEpochSecond())))
                                .isTrue();
                    } else if (client(base).job(jobId).path("current_steps").toString().contains("/approval")) {
                        assertThat(client(base).signal(jobId, "approval", Map.of("approved", true))).isEqualTo(202);
                        acted = true;
                    }
                }
                if (acted) {
                    orchestrator.kill();
                    kills++;
                    orchestrator = start(port, workflows);
                }
            }

            // then it finished, each step ran once, and nothing was lost
            JsonNode job = client(base).awaitEnd(jobId, Duration.ofSeconds(60));
            assertThat(job.path("status").asText()).isEqualTo("finished");
            assertThat(job.path("result").path("step").asText()).isEqualTo("last");
            assertThat(ran).containsExactlyInAnyOrder("first", "a", "b", "item1", "item2", "item3", "child", "last");
            assertThat(kills).isGreaterThanOrEqualTo(9);
            List<String> statuses = new ArrayList<>();
            job.path("steps").forEach(step -> statuses.add(step.path("status").asText()));
            assertThat(statuses).hasSize(10).containsOnly("succeeded");
        } finally {
            orchestrator.close();
        }
    }

    private static boolean ended(JsonNode job) {
        return List.of("finished", "failed", "cancelled", "quarantined").contains(job.path("status").asText());
    }

    private Transport worker(String base) throws Exception {
        Transport worker = Transports.create(base, "crash-worker",
                Files.readString(dataDir.resolve("worker-token")).trim());
        worker.register(new WorkerRegistration("crash-worker", null, List.of(SkillInfo.named(SKILL)), null, null, null,
                null, null, null, null, null, null, null));
        return worker;
    }

    private ClientApi client(String base) throws Exception {
        return new ClientApi(base, Files.readString(dataDir.resolve("client-token")).trim());
    }
}
