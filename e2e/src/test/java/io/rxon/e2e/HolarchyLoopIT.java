package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two orchestrators configured as each other's parent (a misconfiguration): a task that goes round
 * the loop is refused where it comes back, reported to the client as a quarantined job naming the
 * loop, and not passed round again.
 */
class HolarchyLoopIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseAndReportATaskThatComesBackRoundALoopOfParents() {
        try (LocalCluster a = new LocalCluster(dataDir.resolve("a"), LocalCluster.Timing.FAST);
                LocalCluster b = new LocalCluster(dataDir.resolve("b"), LocalCluster.Timing.FAST)) {
            // given B a worker of A, B's only leaf busy on a long task, and then A made a worker of B
            a.startOrchestrator();
            b.startOrchestrator(Map.of("RXON_PARENT_URL", a.orchestratorUrl(), "RXON_PARENT_WORKER_ID", "node-b",
                    "RXON_PARENT_TOKEN", a.workerToken(), "RXON_PARENT_HEARTBEAT_INTERVAL", "1s",
                    "RXON_PARENT_POLL_TIMEOUT", "5s"));
            b.startWorker("leaf-of-b", Map.of("RXON_WORKER_CONCURRENCY", "1"));
            ClientApi atB = b.client();
            String busy = atB.submit(Map.of("type", "sleep", "params", Map.of("seconds", 30)));
            await().atMost(Duration.ofSeconds(60)).until(() -> atB.job(busy).path("progress").asDouble() > 0);
            a.orchestrator().stop(Duration.ofSeconds(60));
            a.startOrchestrator(Map.of("RXON_PARENT_URL", b.orchestratorUrl(), "RXON_PARENT_WORKER_ID", "node-a",
                    "RXON_PARENT_TOKEN", b.workerToken(), "RXON_PARENT_HEARTBEAT_INTERVAL", "1s",
                    "RXON_PARENT_POLL_TIMEOUT", "5s"));
            await().atMost(Duration.ofSeconds(60)).until(() -> HolarchyIT.workerAt(b, "node-a").isPresent()
                    && HolarchyIT.workerAt(a, "node-b").map(view -> view.toString().contains("\"echo\""))
                            .orElse(false));

            // when a client of A submits a job that A can only pass to B, and B (its leaf busy) only back to A
            ClientApi atA = a.client();
            String jobId = atA.submit(Map.of("type", "echo", "params", Map.of("loop", true)));

            // then it ends quarantined with the loop named, within seconds, after a single attempt
            JsonNode job = atA.awaitEnd(jobId, Duration.ofSeconds(60));
            assertThat(job.path("status").asText()).isEqualTo("quarantined");
            assertThat(job.path("error").path("code").asText()).isEqualTo("PERMANENT_ERROR");
            assertThat(job.path("error").toString()).contains("loop");
            assertThat(job.path("attempts").asInt()).isEqualTo(1);
        }
    }
}
