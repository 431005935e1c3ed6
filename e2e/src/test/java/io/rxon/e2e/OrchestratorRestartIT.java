package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost across a crash of the packaged orchestrator on embedded defaults: a job
 * submitted before a kill -9 is still there afterwards, its worker is still known, the tokens
 * generated at first start still work, and the job runs to the end once the worker polls again.
 */
class OrchestratorRestartIT {

    @TempDir
    Path dataDir;

    private ManagedProcess start(int port) {
        return ManagedProcess.start("orchestrator", RxonHome.orchestratorJar(), port,
                Map.of("RXON_DATA_DIR", dataDir.toString(), "QUARKUS_HTTP_PORT", Integer.toString(port),
                        "QUARKUS_HTTP_HOST", "127.0.0.1"), dataDir.resolve("logs"))
                .awaitReady(Duration.ofSeconds(120));
    }

    @Test
    void shouldKeepPendingJobsWorkersAndGeneratedTokensAcrossACrash() throws Exception {
        int port = ManagedProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        String jobId;
        try (ManagedProcess first = start(port)) {
            // given a registered worker and a job, both using the tokens generated at first start
            String workerToken = Files.readString(dataDir.resolve("worker-token")).trim();
            try (Transport worker = Transports.create(base, "restart-worker", workerToken)) {
                worker.register(new WorkerRegistration("restart-worker", null, List.of(SkillInfo.named("survive")),
                        null, null, null, null, null, null, null, null, null, null));
            }
            jobId = client(base).submit(Map.of("type", "survive", "params", Map.of("x", 1)));

            // when the orchestrator crashes
            first.kill();
        }

        try (ManagedProcess second = start(port);
                Transport worker = Transports.create(base, "restart-worker",
                        Files.readString(dataDir.resolve("worker-token")).trim())) {
            // then the job is still waiting and the still-known worker gets it and finishes it
            assertThat(client(base).job(jobId).get("status").asText()).isEqualTo("waiting_for_worker");
            TaskPayload task = worker.pollTask(Duration.ofSeconds(10), null, null).orElseThrow();
            assertThat(task.jobId()).isEqualTo(jobId);
            assertThat(task.params()).containsEntry("x", 1);
            assertThat(worker.sendResult(TaskResult.success(task, "restart-worker", Map.of("ok", true),
                    Instant.now().getEpochSecond()))).isTrue();
            assertThat(client(base).job(jobId).get("status").asText()).isEqualTo("finished");
            // SIGTERM: the JVM reports 143 (128 + 15) after Quarkus and the embedded database stopped cleanly
            assertThat(second.stop(Duration.ofSeconds(60))).isIn(0, 143);
        }
    }

    private ClientApi client(String base) throws Exception {
        return new ClientApi(base, Files.readString(dataDir.resolve("client-token")).trim());
    }
}
