package io.rxon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./demo.sh --holarchy}: three levels on loopback (docs/HOLARCHY.md). A root orchestrator
 * takes the client's jobs; a region orchestrator in pure holon mode is its only worker and runs
 * them on its own two workers, one with a GPU; results and progress come back up through it.
 */
final class HolarchyDemo {

    private final PrintStream out;

    HolarchyDemo(PrintStream out) {
        this.out = out;
    }

    void run(Path dataDir) throws Exception {
        out.println("rxon holarchy demo: root orchestrator <- region orchestrator <- two workers; logs in "
                + dataDir.resolve("*/logs"));
        try (LocalCluster root = new LocalCluster(dataDir.resolve("root"), LocalCluster.Timing.FAST);
                LocalCluster region = new LocalCluster(dataDir.resolve("region"), LocalCluster.Timing.FAST)) {
            root.startOrchestrator();
            out.println("  root orchestrator    " + root.orchestratorUrl() + " (clients talk to this one)");
            // ws://: the root pushes tasks and cancels down the region's socket
            region.startOrchestrator(Map.of("RXON_PARENT_URL", root.socketUrl(),
                    "RXON_PARENT_WORKER_ID", "region-1", "RXON_PARENT_TOKEN", root.workerToken(),
                    "RXON_PARENT_HEARTBEAT_INTERVAL", "1s", "RXON_PARENT_POLL_TIMEOUT", "5s",
                    "RXON_CLIENT_API_ENABLED", "false"));
            out.println("  region orchestrator  " + region.orchestratorUrl() + " = worker region-1 of the root");
            region.startWorker("gpu-box", Map.of("RXON_WORKER_DEVICES", Demo.GPU));
            region.startWorker("cpu-box", Map.of());
            out.println("  workers gpu-box (RTX 4090) and cpu-box, of the region");
            ClientApi client = root.client();
            awaitRegionOffers(client, root);
            out.println();
            String hash = client.submit(Map.of("type", "sha256", "params", Map.of("data", "hashed two levels down"),
                    "requirements", Map.of("resources", Map.of("devices", List.of(Map.of("type", "gpu",
                            "model", "rtx 4090", "properties", Map.of("vram_gb", 16)))))));
            show("sha256 that needs a 16 GB GPU", client, hash);
            String sleeper = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 3)));
            out.println("sleep 3 s at the root, following its event stream (progress relayed by region-1):");
            client.follow(sleeper, event -> out.println("    " + describe(event))).get(60, TimeUnit.SECONDS);
            show("sleep 3 s", client, sleeper);
            out.println();
            out.println("stopping everything...");
        }
        out.println("done.");
    }

    /** The region registers with the root once its workers are up; jobs submitted before would wait. */
    private static void awaitRegionOffers(ClientApi client, LocalCluster root) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.trySubmit(Map.of("type", "sleep", "params", Map.of("seconds", "x"))).statusCode() == 400) {
                return; // the root knows the skill's schema now: the region has registered with its workers' skills
            }
            ManagedProcess.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("the region did not register with the root at " + root.orchestratorUrl());
    }

    private static String describe(JsonNode event) {
        String line = event.path("type").asText() + " from " + event.path("worker_id").asText("-");
        if (event.has("bubbling_chain")) {
            line += " (origin " + event.path("origin_worker_id").asText() + ", bubbled through "
                    + event.path("bubbling_chain") + ")";
        }
        JsonNode progress = event.path("payload").path("progress");
        return progress.isNumber() ? line + String.format(" %3.0f%%", progress.asDouble() * 100) : line;
    }

    private void show(String label, ClientApi client, String jobId) {
        JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(60));
        out.printf("%-30s %-9s via %-9s run by %-8s: %s%n", label, job.get("status").asText(),
                job.path("assigned_worker_id").asText("-"), job.path("origin_worker_id").asText("-"),
                job.has("result") ? job.get("result") : job.get("error"));
    }
}
