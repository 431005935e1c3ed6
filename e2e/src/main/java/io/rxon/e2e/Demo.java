package io.rxon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The README's "run" command: an orchestrator and two workers with different hardware on
 * loopback, on embedded defaults, and a handful of jobs that show matching, push dispatch,
 * progress streaming and input validation. Everything it starts, it stops.
 */
public final class Demo {

    /** A GPU declared by configuration, as a real worker would discover it with nvidia-smi. */
    static final String GPU = """
            [{"type":"gpu","model":"NVIDIA GeForce RTX 4090","id":"0","properties":{"vram_gb":24}}]""";

    /**
     * The demo's workflow (docs/WORKFLOWS.md): hashes on the GPU box and an echo in parallel, then
     * waits for a human's approval before its last step.
     */
    static final String WORKFLOW = """
            document: {dsl: '1.0.0', namespace: demo, name: demo-pipeline, version: '1.0.0'}
            do:
              - fan:
                  fork:
                    branches:
                      - hash:
                          call: rxon
                          with:
                            skill: sha256
                            params: {data: '${ .text }'}
                            requirements:
                              resources:
                                devices: [{type: gpu, properties: {vram_gb: 16}}]
                      - greet:
                          call: rxon
                          with: {skill: echo, params: {text: '${ .text }'}}
              - approval:
                  listen:
                    to:
                      one:
                        with: {type: approval}
              - publish:
                  call: rxon
                  with: {skill: echo, params: {text: '${ "approved by " + .by }'}}
            """;

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    /** {@code [data dir]}, or {@code --holarchy [data dir]} for the three-level run ({@link HolarchyDemo}). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--holarchy")) {
            new HolarchyDemo(System.out).run(Path.of(args.length > 1 ? args[1] : "data/demo-holarchy"));
            return;
        }
        Path dataDir = Path.of(args.length > 0 ? args[0] : "data/demo");
        new Demo(System.out).run(dataDir);
    }

    void run(Path dataDir) throws Exception {
        out.println("rxon demo: one orchestrator and two workers on loopback; logs in " + dataDir.resolve("logs"));
        try (LocalCluster cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST)) {
            cluster.startOrchestrator();
            out.println("  orchestrator  " + cluster.orchestratorUrl() + " (embedded PostgreSQL)");
            cluster.startWorker("gpu-box", Map.of("RXON_WORKER_DEVICES", GPU,
                    "RXON_ORCHESTRATOR_URL", cluster.socketUrl()));
            out.println("  worker gpu-box  NVIDIA GeForce RTX 4090 (24 GB), tasks pushed over its WebSocket");
            cluster.startWorker("cpu-box", Map.of());
            out.println("  worker cpu-box  CPU only, tasks by HTTP long-poll");
            ClientApi client = cluster.client();
            out.println();
            runJobs(client);
            out.println();
            out.println("stopping everything (workers drain first)...");
        }
        out.println("done.");
    }

    private void runJobs(ClientApi client) throws Exception {
        show("echo", client, client.submit(Map.of("type", "echo", "params", Map.of("text", "hello, rxon"))));
        show("sha256 that needs a 16 GB GPU", client, client.submit(Map.of("type", "sha256",
                "params", Map.of("data", "only the GPU box may hash this"),
                "requirements", Map.of("resources", Map.of("devices",
                        List.of(Map.of("type", "gpu", "model", "rtx 4090", "properties", Map.of("vram_gb", 16))))))));
        String sleeper = client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 3)));
        out.println("sleep 3 s, following its event stream:");
        CompletableFuture<Void> stream = client.follow(sleeper, event -> out.println("    " + describe(event)));
        stream.get(60, TimeUnit.SECONDS);
        show("sleep 3 s", client, sleeper);
        // The workers declared each skill's input schema, so bad params are refused before anything is stored.
        HttpResponse<String> refused = client.trySubmit(Map.of("type", "sleep", "params", Map.of("seconds", "three")));
        JsonNode problem = Json.read(refused.body(), JsonNode.class);
        out.printf("%-32s %-9s at submit (HTTP %d, %s): %s%n", "sleep with bad input", "refused", refused.statusCode(),
                problem.path("code").asText(), problem.path("violations"));
        runWorkflow(client);
    }

    /** A workflow: a fork across both workers, then a human approval sent as a signal. */
    private void runWorkflow(ClientApi client) throws Exception {
        client.registerWorkflow(WORKFLOW);
        String jobId = client.submit(Map.of("workflow", "demo-pipeline", "input", Map.of("text", "hello, workflows")));
        out.println("workflow demo-pipeline (fork on both workers, then a human approval):");
        JsonNode job = client.job(jobId);
        for (int i = 0; i < 600 && !job.path("current_steps").toString().contains("/approval"); i++) {
            Thread.sleep(100);
            job = client.job(jobId);
        }
        out.println("    waiting at " + job.path("current_steps") + "; approving with POST /api/v1/jobs/{id}/signals/approval");
        client.signal(jobId, "approval", Map.of("by", "the demo"));
        job = client.awaitEnd(jobId, Duration.ofSeconds(60));
        for (JsonNode step : job.path("steps")) {
            out.printf("    step %-14s %-9s %s%n", step.path("step").asText(), step.path("status").asText(),
                    step.path("worker_id").asText(""));
        }
        out.printf("%-32s %-9s: result %s%n", "workflow demo-pipeline", job.get("status").asText(), job.get("result"));
    }

    private void show(String label, ClientApi client, String jobId) {
        JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(60));
        String outcome = job.has("result") ? "result " + job.get("result") : "error " + job.get("error");
        out.printf("%-32s %-9s on %-8s after %d attempt(s): %s%n", label, job.get("status").asText(),
                job.path("assigned_worker_id").asText("-"), job.get("attempts").asInt(), outcome);
    }

    private static String describe(JsonNode event) {
        String type = event.get("type").asText();
        JsonNode payload = event.path("payload");
        if ("progress".equals(type)) {
            return String.format("progress %3.0f%%  %s", payload.path("progress").asDouble() * 100,
                    payload.path("message").asText(""));
        }
        String worker = event.path("worker_id").asText("");
        return type + (worker.isEmpty() ? "" : " (" + worker + ")");
    }
}
