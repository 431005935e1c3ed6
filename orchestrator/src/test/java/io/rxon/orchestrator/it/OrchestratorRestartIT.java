package io.rxon.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import io.rxon.orchestrator.testing.OrchestratorProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost across a restart of the packaged orchestrator on embedded defaults: a job
 * submitted before a crash (kill -9) is still there afterwards, its worker is still known, and
 * the job runs to the end once the worker polls again. Tokens generated at first start are kept.
 */
class OrchestratorRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepPendingJobsAndWorkersAcrossACrash() throws Exception {
        int port = OrchestratorProcess.freePort();
        Map<String, String> env = Map.of("RXON_WORKER_TOKEN", "it-worker-token");
        String jobId;
        String clientToken;
        try (OrchestratorProcess first = OrchestratorProcess.start(dataDir, port, env)) {
            // given a registered worker and a job submitted with the generated client token
            clientToken = Files.readString(dataDir.resolve("client-token")).trim();
            try (Transport worker = Transports.create(first.baseUrl(), "restart-worker", "it-worker-token")) {
                worker.register(new WorkerRegistration("restart-worker", null, List.of(SkillInfo.named("survive")),
                        null, null, null, null, null, null, null, null, null, null));
            }
            jobId = submit(first.baseUrl(), clientToken, "{\"type\":\"survive\",\"params\":{\"x\":1}}");

            // when the orchestrator crashes
            first.kill();
        }

        try (OrchestratorProcess second = OrchestratorProcess.start(dataDir, port, env);
                Transport worker = Transports.create(second.baseUrl(), "restart-worker", "it-worker-token")) {
            // then the same client token still works, the job is still waiting, and the worker gets it
            assertThat(Files.readString(dataDir.resolve("client-token")).trim()).isEqualTo(clientToken);
            assertThat(get(second.baseUrl(), clientToken, "/api/v1/jobs/" + jobId)).containsEntry("status",
                    "waiting_for_worker");
            TaskPayload task = worker.pollTask(Duration.ofSeconds(10), null, null).orElseThrow();
            assertThat(task.jobId()).isEqualTo(jobId);
            assertThat(task.params()).containsEntry("x", 1);
            assertThat(worker.sendResult(TaskResult.success(task, "restart-worker", Map.of("ok", true),
                    Instant.now().getEpochSecond()))).isTrue();
            assertThat(get(second.baseUrl(), clientToken, "/api/v1/jobs/" + jobId)).containsEntry("status",
                    "finished");
            // SIGTERM: the JVM reports 143 (128 + 15) after Quarkus and the embedded database shut down cleanly
            assertThat(second.stop()).as("graceful stop exit code").isIn(0, 143);
        }
    }

    private static String submit(String base, String token, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        return Json.tree(response.body().getBytes()).get("job_id").asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(String base, String token, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.read(response.body(), Map.class);
    }
}
