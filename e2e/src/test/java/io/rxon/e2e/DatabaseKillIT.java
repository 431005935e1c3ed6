package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.json.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing the embedded PostgreSQL under load is survivable, with the packaged orchestrator on embedded
 * defaults and a real worker: while the server is dead, clients are answered 503 with {@code Retry-After}
 * (never 500), the orchestrator restarts its database by itself without being restarted, and every job it
 * accepted (202) before, during and after the outage finishes.
 */
class DatabaseKillIT {

    private static final int SUBMITTERS = 3;

    @TempDir
    Path dataDir;

    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<HttpResponse<String>> unavailable = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);

    @Test
    void shouldAnswer503WhileThePostmasterIsDeadRecoverByItselfAndFinishEveryAcceptedJob() throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        try (LocalCluster cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST)) {
            // given an orchestrator on its embedded database, a worker and clients submitting jobs steadily
            cluster.startOrchestrator();
            cluster.startWorker("db-kill-worker", Map.of("RXON_WORKER_CONCURRENCY", "4"));
            ClientApi client = cluster.client();
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < SUBMITTERS; i++) {
                load.add(submitters.submit(() -> submitUntilStopped(client)));
            }
            awaitTrue(() -> accepted.size() >= 20, Duration.ofSeconds(60), "jobs accepted before the kill");
            Path pidFile = dataDir.resolve("orchestrator/postgres/postmaster.pid");
            long postmaster = pid(pidFile);

            // when the database server is killed
            assertThat(ProcessHandle.of(postmaster).orElseThrow().destroyForcibly()).isTrue();

            // then clients are told to come back later, and the orchestrator gets its database back by itself
            awaitTrue(() -> !unavailable.isEmpty(), Duration.ofSeconds(30), "a 503 while the database is dead");
            cluster.orchestrator().awaitReady(Duration.ofSeconds(90));
            assertThat(cluster.orchestrator().isAlive()).isTrue();
            assertThat(pid(pidFile)).isNotEqualTo(postmaster);
            int acceptedAtRecovery = accepted.size();
            awaitTrue(() -> accepted.size() >= acceptedAtRecovery + 20, Duration.ofSeconds(60),
                    "jobs accepted after the recovery");
            loading.set(false);
            for (Future<?> submitter : load) {
                submitter.get(60, TimeUnit.SECONDS);
            }

            assertThat(unexpected).as("answers other than 202 and 503").isEmpty();
            assertThat(unavailable).allSatisfy(response -> {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(response.body()).contains("DEPENDENCY_ERROR");
            });
            // and every accepted job finishes
            for (String jobId : accepted) {
                assertThat(client.awaitEnd(jobId, Duration.ofSeconds(120)).get("status").asText())
                        .as("job %s", jobId).isEqualTo("finished");
            }
        } finally {
            loading.set(false);
            submitters.shutdownNow();
        }
    }

    private void submitUntilStopped(ClientApi client) {
        int n = 0;
        while (loading.get()) {
            HttpResponse<String> response;
            try {
                response = client.trySubmit(Map.of("type", "echo", "params", Map.of("n", n++)));
            } catch (RuntimeException e) {
                unexpected.add("no answer: " + e.getMessage());
                continue;
            }
            if (response.statusCode() == 202) {
                accepted.add(Json.tree(response.body().getBytes(StandardCharsets.UTF_8)).get("job_id").asText());
            } else if (response.statusCode() == 503) {
                unavailable.add(response);
            } else {
                unexpected.add(response.statusCode() + " " + response.body());
            }
        }
    }

    private static long pid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    }

    private static void awaitTrue(Callable<Boolean> condition, Duration timeout, String what) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
    }
}
