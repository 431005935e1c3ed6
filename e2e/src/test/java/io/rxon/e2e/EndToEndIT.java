package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged orchestrator and workers as real processes on loopback: matching, progress over
 * SSE, a worker killed mid-task, a worker drained by SIGTERM, an orchestrator restart. One
 * cluster for the class (starting JVMs is the expensive part); tests that kill or restart
 * something run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    static final String GPU = """
            [{"type":"gpu","model":"NVIDIA A100-SXM4-80GB","id":"0","properties":{"vram_gb":80}}]""";
    static final Map<String, Object> NEEDS_A100 = Map.of("resources", Map.of("devices",
            List.of(Map.of("type", "gpu", "model", "a100", "properties", Map.of("vram_gb", 40)))));

    @TempDir
    static Path dataDir;

    static LocalCluster cluster;
    static ClientApi client;
    static ManagedProcess gpuWorker;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST);
        cluster.startOrchestrator();
        gpuWorker = cluster.startWorker("gpu-worker", Map.of("RXON_WORKER_DEVICES", GPU,
                "RXON_ORCHESTRATOR_URL", cluster.socketUrl()));
        cluster.startWorker("cpu-worker", Map.of());
        client = cluster.client();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldSendJobsToTheWorkerWhoseHardwareMatchesByPushToTheWsWorker() throws Exception {
        for (int i = 0; i < 4; i++) {
            String jobId = client.submit(Map.of("type", "echo", "params", Map.of("i", i), "requirements", NEEDS_A100));
            JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(30));
            assertThat(job.get("status").asText()).isEqualTo("finished");
            assertThat(job.get("assigned_worker_id").asText()).isEqualTo("gpu-worker");
            assertThat(job.at("/result/i").asInt()).isEqualTo(i);
        }
        // the ws:// worker negotiated push (consent at registration, credits answered) and kept it
        assertThat(Files.readString(gpuWorker.log())).contains("push dispatch on with")
                .doesNotContain("did not offer push dispatch").doesNotContain("did not answer");
    }

    @Test
    @Order(2)
    void shouldStreamProgressToTheClient() throws Exception {
        String jobId = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 2)));
        List<JsonNode> events = new CopyOnWriteArrayList<>();

        client.follow(jobId, events::add).get(30, TimeUnit.SECONDS);

        assertThat(events).extracting(event -> event.get("type").asText())
                .startsWith("job_created", "task_dispatched").contains("progress").endsWith("job_finished");
    }

    @Test
    @Order(3)
    void shouldRefuseBadSkillInputWithInvalidInputError() {
        // The worker declared the skill's input schema when it registered, so the orchestrator checks
        // params at submit (issue 14): bad input is refused at once and nothing is stored.
        HttpResponse<String> refused = client.trySubmit(Map.of("type", "sleep", "params", Map.of("seconds", "soon")));

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = Json.read(refused.body(), JsonNode.class);
        assertThat(problem.get("code").asText()).isEqualTo("INVALID_INPUT_ERROR");
        assertThat(problem.get("violations").get(0).asText()).startsWith("$.seconds");
    }

    @Test
    @Order(4)
    void shouldNeverSendATaskForASkillNoWorkerHas() {
        String jobId = client.submit(Map.of("type", "no_such_skill"));

        ManagedProcessPause.of(Duration.ofSeconds(2));

        assertThat(client.job(jobId).get("status").asText()).isEqualTo("waiting_for_worker");
    }

    @Test
    @Order(5)
    void shouldDrainOnSigtermWithoutLosingTheRunningTask() {
        // given a worker (the only one with a "drain-probe" device) busy with a 3 s task
        ManagedProcess drained = cluster.startWorker("drained-worker", Map.of("RXON_WORKER_DEVICES", probe("drain")));
        String jobId = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 3),
                "requirements", needsProbe("drain")));
        awaitAssignedTo(jobId, List.of("drained-worker"));

        // when it is asked to stop (Kubernetes scale-down)
        int exitCode = drained.stop(Duration.ofSeconds(60));

        // then it finished the task first, on its first attempt, and exited cleanly
        assertThat(exitCode).isZero();
        JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(30));
        assertThat(job.get("status").asText()).isEqualTo("finished");
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("assigned_worker_id").asText()).isEqualTo("drained-worker");
    }

    @Test
    @Order(6)
    void shouldRerunTheTaskOfAKilledWorkerOnAnother() {
        // given two workers with a "kill-probe" device, one of them running a long task
        ManagedProcess left = cluster.startWorker("probe-left", Map.of("RXON_WORKER_DEVICES", probe("kill")));
        ManagedProcess right = cluster.startWorker("probe-right", Map.of("RXON_WORKER_DEVICES", probe("kill")));
        String jobId = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 4),
                "requirements", needsProbe("kill")));
        String first = awaitAssignedTo(jobId, List.of("probe-left", "probe-right")).get("assigned_worker_id").asText();

        // when that worker dies (kill -9)
        ("probe-left".equals(first) ? left : right).kill();

        // then after its lease runs out the task runs again on the other and finishes
        JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("finished");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("assigned_worker_id").asText()).isNotEqualTo(first).startsWith("probe-");
    }

    private static String probe(String name) {
        return "[{\"type\":\"sensor\",\"model\":\"" + name + "-probe\"}]";
    }

    private static Map<String, Object> needsProbe(String name) {
        return Map.of("resources", Map.of("devices", List.of(Map.of("type", "sensor", "model", name + "-probe"))));
    }

    @Test
    @Order(7)
    void shouldCarryOnAfterAnOrchestratorRestart() {
        // given a pending job when the orchestrator crashes
        String before = client.submit(Map.of("type", "echo", "params", Map.of("when", "before"), "requirements",
                NEEDS_A100));
        client.awaitEnd(before, Duration.ofSeconds(30));
        cluster.orchestrator().kill();

        // when it comes back on the same port and data
        cluster.startOrchestrator();

        // then the workers reconnect by themselves and new jobs run on both kinds of worker
        String gpuJob = client.submit(Map.of("type", "echo", "params", Map.of("when", "after"), "requirements",
                NEEDS_A100));
        String anyJob = client.submit(Map.of("type", "echo", "params", Map.of("when", "after")));
        assertThat(client.awaitEnd(gpuJob, Duration.ofSeconds(90)).get("status").asText()).isEqualTo("finished");
        assertThat(client.awaitEnd(anyJob, Duration.ofSeconds(90)).get("status").asText()).isEqualTo("finished");
        assertThat(client.job(before).get("status").asText()).isEqualTo("finished");
    }

    private static JsonNode awaitAssignedTo(String jobId, List<String> workers) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = client.job(jobId);
            if ("running".equals(job.get("status").asText())
                    && workers.contains(job.path("assigned_worker_id").asText())) {
                return job;
            }
            ManagedProcessPause.of(Duration.ofMillis(100));
        }
        throw new AssertionError("job " + jobId + " never started: " + client.job(jobId));
    }

    /** Waiting that is part of a scenario (time passing), not synchronisation. */
    static final class ManagedProcessPause {
        static void of(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
