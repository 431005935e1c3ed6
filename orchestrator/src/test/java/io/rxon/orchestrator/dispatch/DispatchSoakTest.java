package io.rxon.orchestrator.dispatch;

import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.baseUrl;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.Transport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A seeded soak of dispatch, shaped like outside drivers: many short runs, each with a random
 * number of one-task-at-a-time HTTP workers with random skills and poll timeouts, and submissions
 * in random bursts and pauses. A monitor samples the whole time and fails the run when a worker
 * sits parked beside a pending task it could take (seen twice in a row, so a claim that is just
 * taking the task does not count). Every job must finish. {@code -Drxon.soak.seed=…} replays a run.
 */
@QuarkusTest
class DispatchSoakTest {

    private static final int RUNS = 10;
    private static final Duration STALE = Duration.ofMillis(300);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Pool pool;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One parked worker beside a pending task of one of its skills. */
    private record Idle(String workerId, String taskId) {}

    @Test
    void shouldNeverLeaveAnEligibleWorkerParkedBesideAPendingTask() throws Exception {
        long seed = Long.getLong("rxon.soak.seed", 20261204L);
        Log.infof("dispatch soak seed %d (replay with -Drxon.soak.seed=%d)", seed, seed);
        Random random = new Random(seed);
        List<String> violations = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            violations.addAll(run(run, new Random(random.nextLong())));
        }
        assertThat(violations).as("seed %d", seed).isEmpty();
    }

    private List<String> run(int run, Random random) throws Exception {
        String prefix = "soak" + run + "_" + UUID.randomUUID().toString().substring(0, 6);
        List<String> types = List.of(prefix + "_a", prefix + "_b", prefix + "_c");
        Map<String, List<String>> skillsOf = new HashMap<>();
        int workers = 1 + random.nextInt(6);
        for (int i = 0; i < workers; i++) {
            List<String> skills = new ArrayList<>(types.stream().filter(type -> random.nextBoolean()).toList());
            if (skills.isEmpty()) {
                skills.add(types.get(random.nextInt(types.size())));
            }
            skillsOf.put(prefix + "-w" + i, skills);
        }
        Set<String> servable = new HashSet<>();
        skillsOf.values().forEach(servable::addAll);
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newCachedThreadPool();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        try {
            skillsOf.forEach((workerId, skills) -> threads.submit(() -> work(workerId, skills,
                    Duration.ofMillis(200 + random.nextInt(2800)), running)));
            Monitor monitor = new Monitor(skillsOf, violations);
            timer.scheduleWithFixedDelay(monitor::sample, 0, 50, TimeUnit.MILLISECONDS);
            List<String> jobIds = submitInBursts(random, List.copyOf(servable), timer);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> unfinished(jobIds) == 0);
        } finally {
            running.set(false);
            timer.shutdownNow();
            threads.shutdownNow();
        }
        return violations.stream().map(violation -> "run " + run + ": " + violation).toList();
    }

    /** One worker's loop: long-poll for one task, answer it at once, poll again. */
    private void work(String workerId, List<String> skills, Duration pollTimeout, AtomicBoolean running) {
        Transport worker = registeredWorker(root, workerId, skills.toArray(String[]::new));
        while (running.get()) {
            try {
                Optional<TaskPayload> task = worker.pollTask(pollTimeout, null, null);
                task.ifPresent(payload -> worker.sendResult(TaskResult.success(payload, workerId, Map.of(),
                        Instant.now().getEpochSecond())));
            } catch (RuntimeException e) {
                if (running.get()) {
                    Log.warnf("soak worker %s: %s", workerId, e.getMessage());
                }
            }
        }
    }

    /** Bursts of 1-40 jobs of random types and priorities, at random moments over about two seconds. */
    private List<String> submitInBursts(Random random, List<String> types, ScheduledExecutorService timer)
            throws Exception {
        List<String> jobIds = new CopyOnWriteArrayList<>();
        List<ScheduledFuture<?>> bursts = new ArrayList<>();
        long at = 0;
        for (int burst = 3 + random.nextInt(5); burst > 0; burst--) {
            List<String> batch = new ArrayList<>();
            List<Integer> priorities = new ArrayList<>();
            for (int i = 1 + random.nextInt(40); i > 0; i--) {
                batch.add(types.get(random.nextInt(types.size())));
                priorities.add(random.nextInt(3));
            }
            bursts.add(timer.schedule(() -> {
                for (int i = 0; i < batch.size(); i++) {
                    jobIds.add(submit(batch.get(i), priorities.get(i)));
                }
                return null;
            }, at, TimeUnit.MILLISECONDS));
            at += random.nextInt(400);
        }
        for (ScheduledFuture<?> burst : bursts) {
            burst.get(30, TimeUnit.SECONDS);
        }
        return jobIds;
    }

    private String submit(String type, int priority) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl(root) + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + CLIENT_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\",\"priority\":" + priority + "}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        return response.body().replaceAll(".*\"job_id\":\"([^\"]+)\".*", "$1");
    }

    /** Samples dispatch every 50 ms; a (worker, task) pair seen idle in two samples in a row is a violation. */
    private final class Monitor {
        private final Map<String, List<String>> skillsOf;
        private final List<String> violations;
        private Set<Idle> previous = Set.of();

        Monitor(Map<String, List<String>> skillsOf, List<String> violations) {
            this.skillsOf = skillsOf;
            this.violations = violations;
        }

        void sample() {
            Set<Idle> idle = new HashSet<>();
            skillsOf.forEach((workerId, skills) -> {
                if (dispatcher.isParked(workerId)) {
                    stalePending(skills).forEach(taskId -> idle.add(new Idle(workerId, taskId)));
                }
            });
            for (Idle pair : idle) {
                if (previous.contains(pair) && dispatcher.isParked(pair.workerId())) {
                    violations.add("worker " + pair.workerId() + " parked beside pending task " + pair.taskId());
                }
            }
            previous = idle;
        }
    }

    private List<String> stalePending(List<String> skills) {
        long before = System.currentTimeMillis() - STALE.toMillis();
        List<String> ids = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT id FROM tasks WHERE status = 'pending' AND type = ANY($1) "
                + "AND created_at < $2").execute(Tuple.of(skills.toArray(String[]::new), before))
                .await().atMost(Duration.ofSeconds(5))) {
            ids.add(row.getString("id"));
        }
        return ids;
    }

    private long unfinished(List<String> jobIds) {
        return pool.preparedQuery("SELECT count(*) FROM jobs WHERE id = ANY($1) AND status <> 'finished'")
                .execute(Tuple.of((Object) jobIds.toArray(String[]::new))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
