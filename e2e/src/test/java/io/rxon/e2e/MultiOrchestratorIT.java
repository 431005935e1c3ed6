package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One worker process serving two independent packaged orchestrators (each its own process, port,
 * data directory and tokens, so the worker also uses a token per orchestrator): smooth weighted
 * round robin, waterfall order, and failover with the first orchestrator killed and brought back.
 * Each test starts its own worker (with concurrency 1, so tasks are taken strictly one after the
 * other and their finishing order is the order the worker asked in) and stops it with SIGTERM at
 * the end; the test that kills an orchestrator runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiOrchestratorIT {

    private static final Duration JOB_WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;

    static LocalCluster first;
    static LocalCluster second;

    @BeforeAll
    static void startOrchestrators() {
        first = new LocalCluster(dataDir.resolve("first"), LocalCluster.Timing.FAST);
        second = new LocalCluster(dataDir.resolve("second"), LocalCluster.Timing.FAST);
        first.startOrchestrator();
        second.startOrchestrator();
    }

    @AfterAll
    static void stopOrchestrators() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    @Order(1)
    void roundRobinShouldShareTheTasksAsTheWeightsSay() {
        // given 200 echo jobs waiting on each orchestrator, and a worker with weights 3 (first) and 1 (second)
        List<String> onFirst = submit(first.client(), "echo", 200);
        List<String> onSecond = submit(second.client(), "echo", 200);
        ManagedProcess worker = startWorker("rr-worker", "round-robin", 3, 1);

        // when it has finished 240 of them (so that the first 200 are settled)
        await().atMost(JOB_WAIT).until(() -> finished(first.client(), onFirst).size()
                + finished(second.client(), onSecond).size() >= 240);
        stop(worker);

        // then of the first 200 it finished, the first orchestrator's share is 3/4 and the second's 1/4 (within 10 %)
        List<String> order = finishingOrder(finished(first.client(), onFirst), finished(second.client(), onSecond));
        long fromFirst = order.subList(0, 200).stream().filter(new HashSet<>(onFirst)::contains).count();
        assertThat(fromFirst).as("tasks of the first orchestrator among the first 200").isBetween(135L, 165L);
        assertThat(200 - fromFirst).as("tasks of the second orchestrator among the first 200").isBetween(45L, 55L);
        cancelUnfinished(first.client(), onFirst);
        cancelUnfinished(second.client(), onSecond);
    }

    @Test
    @Order(2)
    void waterfallShouldDrainTheFirstOrchestratorBeforeTakingFromTheSecond() {
        // given a waterfall worker connected to both (the first has priority 1), and 20 jobs on the first, 5 on
        // the second
        ManagedProcess worker = startWorker("waterfall-worker", "waterfall", 1, 1);
        awaitConnectedToBoth(worker);
        List<String> onFirst = submit(first.client(), "echo", 20);
        List<String> onSecond = submit(second.client(), "echo", 5);

        // when every job finished
        awaitFinished(first.client(), onFirst);
        awaitFinished(second.client(), onSecond);
        stop(worker);

        // then after each task the worker asked the first again: all its jobs ran before the second's
        // (but for at most one the worker may have been polling the second for when the first's jobs appeared)
        List<String> order = finishingOrder(finished(first.client(), onFirst), finished(second.client(), onSecond));
        int lastOfFirst = 0;
        for (int i = 0; i < order.size(); i++) {
            if (onFirst.contains(order.get(i))) {
                lastOfFirst = i;
            }
        }
        long secondsBefore = order.subList(0, lastOfFirst).stream().filter(onSecond::contains).count();
        assertThat(secondsBefore).isLessThanOrEqualTo(1);
    }

    @Test
    @Order(3)
    void failoverShouldUseTheSecondOnlyWhileTheFirstIsDownAndReturnToTheFirst() {
        // given a failover worker connected to both, the first orchestrator with priority 1
        ManagedProcess worker = startWorker("failover-worker", "failover", 1, 1);
        awaitConnectedToBoth(worker);
        List<String> onFirst = submit(first.client(), "echo", 10);
        awaitFinished(first.client(), onFirst);

        // when the second gets jobs too, then they wait: the first orchestrator answers
        List<String> onSecondEarly = submit(second.client(), "echo", 3);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> finished(second.client(), onSecondEarly).isEmpty());

        // when the first orchestrator crashes
        first.orchestrator().kill();

        // then the worker turns to the second: its waiting jobs and new ones finish, nothing is lost
        List<String> onSecondLater = submit(second.client(), "echo", 10);
        awaitFinished(second.client(), onSecondEarly);
        awaitFinished(second.client(), onSecondLater);

        // when the first orchestrator is back (same port and data)
        first.startOrchestrator();
        List<String> afterReturn = submit(first.client(), "echo", 5);

        // then the worker returns to it: its jobs finish, and the second's new job waits again
        awaitFinished(first.client(), afterReturn);
        List<String> onSecondAfterReturn = submit(second.client(), "echo", 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> finished(second.client(), onSecondAfterReturn).isEmpty());
        List<String> more = submit(first.client(), "echo", 3);
        awaitFinished(first.client(), more);

        // and SIGTERM drains the worker cleanly, telling both orchestrators
        assertThat(worker.stop(Duration.ofSeconds(60))).isIn(0, 143);
        cancelUnfinished(second.client(), onSecondAfterReturn);
    }

    private static ManagedProcess startWorker(String id, String mode, int firstWeight, int secondWeight) {
        String orchestrators = """
                [{"url": "%s", "priority": 1, "weight": %d},
                 {"url": "%s", "priority": 2, "weight": %d, "token": "%s"}]""".formatted(first.orchestratorUrl(),
                firstWeight, second.orchestratorUrl(), secondWeight, second.workerToken());
        // RXON_WORKER_TOKEN (set by the cluster) is the first orchestrator's; the second entry has its own
        return first.startWorker(id, Map.of(
                "RXON_ORCHESTRATORS", orchestrators,
                "RXON_ORCHESTRATORS_MODE", mode,
                "RXON_WORKER_CONCURRENCY", "1",
                "RXON_POLL_TIMEOUT", "1s",
                "RXON_WORKER_TIMING_BACKOFF_MAX", "2s"));
    }

    /** Until the worker's readiness shows both orchestrators connected. */
    private static void awaitConnectedToBoth(ManagedProcess worker) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String body = worker.readiness();
            if (body.isBlank()) {
                return false;
            }
            for (JsonNode check : Json.tree(body.getBytes(StandardCharsets.UTF_8)).path("checks")) {
                JsonNode data = check.path("data");
                if (data.path("orchestrator_0_connected").asBoolean()
                        && data.path("orchestrator_1_connected").asBoolean()) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void stop(ManagedProcess worker) {
        assertThat(worker.stop(Duration.ofSeconds(60))).isIn(0, 143);
    }

    private static List<String> submit(ClientApi client, String type, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.submit(Map.of("type", type, "params", Map.of("text", "job " + i))));
        }
        return ids;
    }

    private static void awaitFinished(ClientApi client, List<String> ids) {
        await().atMost(JOB_WAIT).until(() -> finished(client, ids).size() == ids.size());
    }

    /** The finished jobs among {@code ids}. */
    private static List<JsonNode> finished(ClientApi client, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        return client.jobs("finished").stream().filter(job -> wanted.contains(job.get("job_id").asText())).toList();
    }

    /** Job ids of both orchestrators, in the order they finished. */
    private static List<String> finishingOrder(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(Comparator.comparingLong(job -> job.get("finished_at").asLong()));
        return all.stream().map(job -> job.get("job_id").asText()).toList();
    }

    private static void cancelUnfinished(ClientApi client, List<String> ids) {
        Set<String> done = new HashSet<>(finished(client, ids).stream().map(job -> job.get("job_id").asText())
                .toList());
        ids.stream().filter(id -> !done.contains(id)).forEach(client::cancel);
    }
}
