package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-level holarchy of packaged processes (docs/HOLARCHY.md): a root orchestrator, a region
 * orchestrator in pure holon mode that is a worker of the root, and two Java workers of the region
 * (one with a GPU, one without). Clients talk only to the root. The test that kills the region runs
 * last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HolarchyIT {

    static final String REGION = "region-1";

    @TempDir
    static Path dataDir;

    static LocalCluster root;
    static LocalCluster region;
    static ClientApi client;

    @BeforeAll
    static void startHolarchy() {
        root = new LocalCluster(dataDir.resolve("root"), LocalCluster.Timing.FAST);
        root.startOrchestrator();
        region = new LocalCluster(dataDir.resolve("region"), LocalCluster.Timing.FAST);
        // ws://: the root pushes tasks and cancels over the region's socket
        region.startOrchestrator(Map.of("RXON_PARENT_URL", root.socketUrl(), "RXON_PARENT_WORKER_ID", REGION,
                "RXON_PARENT_TOKEN", root.workerToken(), "RXON_PARENT_HEARTBEAT_INTERVAL", "1s",
                "RXON_PARENT_POLL_TIMEOUT", "5s", "RXON_CLIENT_API_ENABLED", "false"));
        region.startWorker("gpu-leaf", Map.of("RXON_WORKER_DEVICES", EndToEndIT.GPU, "RXON_WORKER_CONCURRENCY", "1"));
        region.startWorker("cpu-leaf", Map.of());
        client = root.client();
        await().atMost(Duration.ofSeconds(60)).until(() -> regionAtRoot().map(view -> view.path("registration")
                .path("resources").toString().contains("A100")).orElse(false));
    }

    @AfterAll
    static void stopHolarchy() {
        if (region != null) {
            region.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    @Order(1)
    void shouldRunRootJobsThatNeedAGpuOnTheGpuLeafAndCreditTheLeaf() {
        // given the region registered at the root as an orchestrator one level deep
        JsonNode view = regionAtRoot().orElseThrow();
        assertThat(view.path("orchestrator").asBoolean()).isTrue();
        assertThat(view.path("holarchy_levels").asInt()).isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            // when a client submits at the root a job that needs an A100
            String jobId = client.submit(Map.of("type", "echo", "params", Map.of("i", i),
                    "requirements", EndToEndIT.NEEDS_A100));

            // then it ran on the GPU leaf below the region, and the root knows both
            JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(60));
            assertThat(job.path("status").asText()).isEqualTo("finished");
            assertThat(job.path("assigned_worker_id").asText()).isEqualTo(REGION);
            assertThat(job.path("origin_worker_id").asText()).isEqualTo("gpu-leaf");
            assertThat(job.at("/result/i").asInt()).isEqualTo(i);
        }
        assertThat(regionLog()).as("the root pushed the tasks over the region's socket")
                .contains(", pushed) runs here");
    }

    @Test
    @Order(2)
    void shouldStreamTheLeafsProgressLiveAtTheRoot() throws Exception {
        // when a job that reports progress runs two levels down
        String jobId = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 2)));
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        client.follow(jobId, events::add).get(60, TimeUnit.SECONDS);

        // then the root's clients see its progress events, relayed by the region, before the job ends
        assertThat(events).extracting(event -> event.path("type").asText())
                .startsWith("job_created", "task_dispatched").contains("progress").endsWith("job_finished");
        assertThat(events).filteredOn(event -> event.path("type").asText().equals("progress")).isNotEmpty()
                .allSatisfy(event -> {
                    assertThat(event.path("worker_id").asText()).isEqualTo(REGION);
                    assertThat(event.path("origin_worker_id").asText()).isIn("gpu-leaf", "cpu-leaf");
                    assertThat(event.path("bubbling_chain").toString()).isEqualTo("[\"" + REGION + "\"]");
                });
        assertThat(client.job(jobId).path("origin_worker_id").asText()).isIn("gpu-leaf", "cpu-leaf");
    }

    @Test
    @Order(3)
    void shouldStopTheLeafsTaskWhenTheRootCancels() {
        // given a long task running on the GPU leaf, whose only slot it takes
        String longJob = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 40),
                "requirements", EndToEndIT.NEEDS_A100));
        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(longJob).path("progress").asDouble() > 0);

        // when the client cancels it at the root
        assertThat(client.cancel(longJob)).isEqualTo(200);

        // then the leaf stops it: the next GPU job runs long before the sleep would have ended
        String next = client.submit(Map.of("type", "echo", "params", Map.of("after", "cancel"),
                "requirements", EndToEndIT.NEEDS_A100));
        JsonNode job = client.awaitEnd(next, Duration.ofSeconds(20));
        assertThat(job.path("status").asText()).isEqualTo("finished");
        assertThat(job.path("origin_worker_id").asText()).isEqualTo("gpu-leaf");
        assertThat(client.job(longJob).path("status").asText()).isEqualTo("cancelled");
        assertThat(regionLog()).as("the cancel came down the region's socket").contains("cancels task")
                .contains("over the socket");
    }

    @Test
    @Order(4)
    void shouldFinishEveryAcceptedJobWhenTheRegionIsKilledUnderLoad() {
        // given jobs in flight through the region
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 0.5))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.stream()
                .anyMatch(id -> client.job(id).path("status").asText().equals("finished")));

        // when the region is killed with SIGKILL, more jobs are accepted, and the region comes back
        region.orchestrator().kill();
        for (int i = 0; i < 5; i++) {
            accepted.add(client.submit(Map.of("type", "echo", "params", Map.of("after", "kill", "i", i))));
        }
        region.startOrchestrator();

        // then every accepted job finishes
        for (String jobId : accepted) {
            assertThat(client.awaitEnd(jobId, Duration.ofSeconds(120)).path("status").asText()).as(jobId)
                    .isEqualTo("finished");
        }
    }

    static String regionLog() {
        try {
            return Files.readString(region.orchestrator().log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region as the root's {@code GET /api/v1/workers} shows it. */
    static Optional<JsonNode> regionAtRoot() {
        return workerAt(root, REGION);
    }

    /** A worker as {@code GET /api/v1/workers} of the cluster's orchestrator shows it. */
    static Optional<JsonNode> workerAt(LocalCluster cluster, String workerId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(cluster.orchestratorUrl() + "/api/v1/workers"))
                    .header("Authorization", "Bearer " + cluster.clientToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode workers = Json.read(response.body(), JsonNode.class);
            return StreamSupport.stream(workers.spliterator(), false)
                    .filter(worker -> worker.path("worker_id").asText().equals(workerId)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
