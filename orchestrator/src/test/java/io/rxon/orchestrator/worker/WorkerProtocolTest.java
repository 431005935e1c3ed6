package io.rxon.orchestrator.worker;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.gpu;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.registration;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.TaskSignatures;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.dispatch.Dispatcher;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The worker protocol end to end over real HTTP, against a real PostgreSQL, with the real worker transport. */
@QuarkusTest
class WorkerProtocolTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    Dispatcher dispatcher;

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void shouldRunAJobFromSubmissionToResultOverHttp() {
        // given a registered worker and a submitted job
        String skill = uniqueSkill("echo");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("params", Map.of("text", "hello")));

        // when the worker polls and reports success
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        boolean accepted = worker.sendResult(TaskResult.success(task, workerId, Map.of("echo", "hello"), now()));

        // then the job finished with the worker's data; the task carried the orchestrator's signature
        assertThat(TaskSignatures.verify(task, new HmacSigner("test-task-signing-key"))).isTrue();
        assertThat(task.jobId()).isEqualTo(jobId);
        assertThat(task.type()).isEqualTo(skill);
        assertThat(task.params()).containsEntry("text", "hello");
        assertThat(accepted).isTrue();
        Map<String, Object> job = job(jobId);
        assertThat(job).containsEntry("status", "finished").containsEntry("assigned_worker_id", workerId)
                .containsEntry("attempts", 1).containsEntry("result", Map.of("echo", "hello"));
    }

    @Test
    void shouldAnswerEmptyWhenThePollTimesOut() {
        Transport worker = registeredWorker(root, uniqueWorker("idle"), uniqueSkill("nothing"));

        Optional<TaskPayload> task = worker.pollTask(Duration.ofMillis(500), null, null);

        assertThat(task).isEmpty();
    }

    @Test
    void shouldWakeAParkedPollAsSoonAsAJobArrives() {
        // given a worker parked in a long poll with a long timeout
        String skill = uniqueSkill("wake");
        Transport worker = registeredWorker(root, uniqueWorker("parked"), skill);
        CompletableFuture<Optional<TaskPayload>> poll = CompletableFuture.supplyAsync(
                () -> worker.pollTask(Duration.ofSeconds(9), null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.parkedPolls() > 0);

        // when a job arrives
        String jobId = submit(skill, Map.of());

        // then the poll returns with it well before its timeout
        Optional<TaskPayload> task = await().atMost(Duration.ofSeconds(5)).until(poll::get, Optional::isPresent);
        assertThat(task.orElseThrow().jobId()).isEqualTo(jobId);
    }

    @Test
    void shouldSendAGpuJobOnlyToTheWorkerWhoseDeviceMatches() {
        // given a CPU-only worker and a GPU worker offering the same skill
        String skill = uniqueSkill("render");
        Transport cpuWorker = registeredWorker(root, uniqueWorker("cpu"), skill);
        String gpuId = uniqueWorker("gpu");
        Transport gpuWorker = transport(root, gpuId);
        gpuWorker.register(registration(gpuId, List.of(skill), gpu("NVIDIA GeForce RTX 4090", 24), null));

        // when a job needs an RTX 4090 with at least 16 GB
        String jobId = submit(skill, Map.of("requirements", Map.of("resources", Map.of("devices",
                List.of(Map.of("type", "gpu", "model", "rtx 4090", "properties", Map.of("vram_gb", 16)))))));

        // then the CPU worker is never given it and the GPU worker is
        assertThat(cpuWorker.pollTask(Duration.ofMillis(700), null, null)).isEmpty();
        assertThat(gpuWorker.pollTask(Duration.ofSeconds(5), null, null)).hasValueSatisfying(task ->
                assertThat(task.jobId()).isEqualTo(jobId));
    }

    @Test
    void shouldPassOverAnUrgentJobTheWorkerCannotRunForOneItCan() {
        // given an urgent GPU job queued ahead of a plain job of the same skill
        String skill = uniqueSkill("mixed");
        String gpuJob = submit(skill, Map.of("priority", 9, "requirements", Map.of("resources", Map.of("devices",
                List.of(Map.of("type", "gpu", "model", "rtx 4090"))))));
        String plainJob = submit(skill, Map.of());

        // when a CPU-only worker polls
        Transport cpuWorker = registeredWorker(root, uniqueWorker("cpu"), skill);

        // then it gets the plain job, and the GPU job keeps waiting
        assertThat(cpuWorker.pollTask(Duration.ofSeconds(5), null, null)).hasValueSatisfying(task ->
                assertThat(task.jobId()).isEqualTo(plainJob));
        assertThat(job(gpuJob)).containsEntry("status", "waiting_for_worker");
    }

    @Test
    void shouldNeverSendATaskForASkillTheWorkerLacks() {
        String jobId = submit(uniqueSkill("other"), Map.of());
        Transport worker = registeredWorker(root, uniqueWorker("narrow"), uniqueSkill("mine"));

        assertThat(worker.pollTask(Duration.ofMillis(500), null, null)).isEmpty();
        assertThat(job(jobId)).containsEntry("status", "waiting_for_worker");
    }

    @Test
    void shouldOfferOnlyTheSkillsAWorkerSaysAreAvailableNow() {
        // given a worker with two skills, at capacity for one of them
        String busySkill = uniqueSkill("busy");
        String freeSkill = uniqueSkill("free");
        Transport worker = registeredWorker(root, uniqueWorker("partial"), busySkill, freeSkill);
        String busyJob = submit(busySkill, Map.of());
        String freeJob = submit(freeSkill, Map.of());

        // when it polls saying only one skill is available, twice
        Optional<TaskPayload> first = worker.pollTask(Duration.ofSeconds(5), List.of(freeSkill), null);
        Optional<TaskPayload> second = worker.pollTask(Duration.ofMillis(500), List.of(freeSkill), null);

        // then it gets only that skill's job
        assertThat(first).hasValueSatisfying(task -> assertThat(task.jobId()).isEqualTo(freeJob));
        assertThat(second).isEmpty();
        assertThat(job(busyJob)).containsEntry("status", "waiting_for_worker");
    }

    @Test
    void shouldIgnoreADuplicateResultAndKeepTheFirst() {
        // given a finished task
        String skill = uniqueSkill("dup");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        assertThat(worker.sendResult(TaskResult.success(task, workerId, Map.of("n", 1), now()))).isTrue();

        // when the same task reports again, differently
        boolean second = worker.sendResult(TaskResult.success(task, workerId, Map.of("n", 2), now()));

        // then the second is ignored and nothing changed
        assertThat(second).isFalse();
        assertThat(job(jobId)).containsEntry("status", "finished").containsEntry("result", Map.of("n", 1));
    }

    @Test
    void shouldStoreEveryJobAndResultOfAConcurrentBurstExactlyOnce() {
        // given eight workers of one skill
        String skill = uniqueSkill("burst");
        List<String> workerIds = IntStream.range(0, 8).mapToObj(i -> uniqueWorker("b" + i)).toList();
        List<Transport> workers = workerIds.stream().map(id -> registeredWorker(root, id, skill)).toList();

        // when 48 jobs are submitted at once, and every task is answered at once, its first answer twice
        List<String> jobIds = IntStream.range(0, 48).parallel()
                .mapToObj(i -> submit(skill, Map.of("params", Map.of("i", i)))).toList();
        List<CompletableFuture<Integer>> answered = IntStream.range(0, workers.size())
                .mapToObj(w -> CompletableFuture.supplyAsync(() -> {
                    int accepted = 0;
                    for (Optional<TaskPayload> task = workers.get(w).pollTask(Duration.ofMillis(700), null, null);
                            task.isPresent(); task = workers.get(w).pollTask(Duration.ofMillis(700), null, null)) {
                        TaskResult result = TaskResult.success(task.get(), workerIds.get(w),
                                Map.of("i", task.get().params().get("i")), now());
                        CompletableFuture<Boolean> twin = CompletableFuture.supplyAsync(
                                () -> workers.get(w).sendResult(result));
                        accepted += (workers.get(w).sendResult(result) ? 1 : 0) + (twin.join() ? 1 : 0);
                    }
                    return accepted;
                })).toList();

        // then each job finished once, with its own result, and each duplicate was ignored
        assertThat(answered.stream().mapToInt(CompletableFuture::join).sum()).isEqualTo(48);
        for (int i = 0; i < jobIds.size(); i++) {
            assertThat(job(jobIds.get(i))).containsEntry("status", "finished").containsEntry("attempts", 1)
                    .containsEntry("result", Map.of("i", i));
        }
    }

    @Test
    void shouldRetryATransientFailureAndQuarantineWhenAttemptsRunOut() {
        // given a job allowed two attempts
        String skill = uniqueSkill("flaky");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("max_attempts", 2));

        // when both attempts fail transiently
        for (int attempt = 1; attempt <= 2; attempt++) {
            TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
            worker.sendResult(TaskResult.failure(task, workerId,
                    new TaskError(ErrorCode.TRANSIENT_ERROR, "try " + attempt), now()));
        }

        // then the job is quarantined with the last error, after two attempts
        Map<String, Object> job = job(jobId);
        assertThat(job).containsEntry("status", "quarantined").containsEntry("attempts", 2);
        assertThat(job.get("error")).isEqualTo(Map.of("code", "TRANSIENT_ERROR", "message", "try 2"));
    }

    @Test
    void shouldFailAtOnceOnInvalidInput() {
        String skill = uniqueSkill("strict");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("max_attempts", 3));
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        worker.sendResult(TaskResult.failure(task, workerId, new TaskError(ErrorCode.INVALID_INPUT_ERROR, "no"), now()));

        assertThat(job(jobId)).containsEntry("status", "failed").containsEntry("attempts", 1);
    }

    @Test
    void shouldRedispatchTheTaskOfASilentWorkerToAnother() {
        // given a worker that takes a task and then goes silent
        String skill = uniqueSkill("lease");
        String silentId = uniqueWorker("silent");
        Transport silent = registeredWorker(root, silentId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload first = silent.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when its lease runs out (3 s in tests), another worker polls
        String otherId = uniqueWorker("other");
        Transport other = registeredWorker(root, otherId, skill);
        TaskPayload second = await().atMost(Duration.ofSeconds(15))
                .until(() -> other.pollTask(Duration.ofSeconds(2), null, null), Optional::isPresent).orElseThrow();

        // then the other worker gets a new attempt of the same job, and the late result is stale
        assertThat(second.jobId()).isEqualTo(jobId);
        assertThat(second.taskId()).isNotEqualTo(first.taskId());
        assertThat(silent.sendResult(TaskResult.success(first, silentId, Map.of(), now()))).isFalse();
        assertThat(other.sendResult(TaskResult.success(second, otherId, Map.of("ok", true), now()))).isTrue();
        assertThat(job(jobId)).containsEntry("status", "finished").containsEntry("attempts", 2)
                .containsEntry("assigned_worker_id", otherId);
    }

    @Test
    void shouldRenewTheLeaseOfTasksAWorkerReportsInItsHeartbeats() {
        // given a worker that keeps heartbeating while it works longer than the lease
        String skill = uniqueSkill("long");
        String workerId = uniqueWorker("busy");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when it heartbeats for longer than the 3 s lease
        long until = System.currentTimeMillis() + 5_000;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            worker.sendHeartbeat(Heartbeat.of(workerId, "busy", List.of(task.taskId()), now()));
            return System.currentTimeMillis() > until;
        });

        // then its task is still its own and its result is accepted
        assertThat(worker.sendResult(TaskResult.success(task, workerId, Map.of(), now()))).isTrue();
        assertThat(job(jobId)).containsEntry("status", "finished").containsEntry("attempts", 1);
    }

    @Test
    void shouldListACancelledTaskInTheNextHeartbeatResponse() {
        // given a running task
        String skill = uniqueSkill("cancel");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when the client cancels the job
        given().header("X-Client-Token", "test-client-token")
                .when().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200);

        // then the worker's next heartbeat tells it to stop that task
        HeartbeatResponse response = worker.sendHeartbeat(
                Heartbeat.of(workerId, "busy", List.of(task.taskId()), now())).orElseThrow();
        assertThat(response.cancelTaskIdsOrEmpty()).containsExactly(task.taskId());
        assertThat(job(jobId)).containsEntry("status", "cancelled");
        assertThat(worker.sendResult(TaskResult.cancelled(task, workerId, now()))).isFalse();
    }

    @Test
    void shouldAskAnUnknownWorkerToRegisterAgain() {
        String workerId = uniqueWorker("ghostly");
        Transport stranger = transport(root, workerId);

        HeartbeatResponse response = stranger.sendHeartbeat(Heartbeat.of(workerId, "idle", List.of(), now()))
                .orElseThrow();

        assertThat(response.fullSyncRequested()).isTrue();
    }

    @Test
    void shouldStoreProgressEventsOnceAndShowProgressOnTheJob() {
        // given a running task
        String skill = uniqueSkill("progress");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        WorkerEventPayload event = WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.5,
                "half way", now());

        // when the worker reports progress, and the same event arrives again
        boolean first = worker.emitEvent(event);
        boolean replay = worker.emitEvent(event);

        // then it counts once
        assertThat(first).isTrue();
        assertThat(replay).isFalse();
        assertThat(job(jobId)).containsEntry("progress", 0.5).containsEntry("progress_message", "half way");
    }

    @Test
    void shouldNeverLetLateProgressUndoAResult() throws Exception {
        // given a running task
        String skill = uniqueSkill("race");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when progress events race with the result
        List<CompletableFuture<Boolean>> progress = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> worker.emitEvent(WorkerEventPayload.progress(
                        UUID.randomUUID().toString(), workerId, task, i / 20.0, "step " + i, now()))))
                .toList();
        boolean accepted = worker.sendResult(TaskResult.success(task, workerId, Map.of("done", true), now()));
        CompletableFuture.allOf(progress.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // then the job stays finished with its result
        assertThat(accepted).isTrue();
        assertThat(job(jobId)).containsEntry("status", "finished").containsEntry("result", Map.of("done", true));
    }

    @Test
    void shouldKeepRegisteredWorkersVisibleInTheApi() {
        String workerId = uniqueWorker("listed");
        registeredWorker(root, workerId, uniqueSkill("any"));

        List<Map<String, Object>> workers = given()
                .header("Authorization", "Bearer test-client-token")
                .when().get("/api/v1/workers").then().statusCode(200).extract().jsonPath().getList("$");

        assertThat(workers).anySatisfy(worker -> assertThat(worker).containsEntry("worker_id", workerId)
                .containsEntry("status", "idle"));
    }
}
