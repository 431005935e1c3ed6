package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.transport.MockTransport;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.skill.builtin.SleepSkill;
import io.rxon.worker.testing.RecordingTransport;
import io.rxon.worker.testing.TestSkills;
import io.rxon.worker.testing.Workers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A whole worker against the in-memory orchestrator: registration, execution, reporting, drain. */
class WorkerRuntimeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final RecordingTransport transport = new RecordingTransport("w-1");
    private final MockTransport orchestrator = transport.mock();
    private WorkerRuntime worker;

    @AfterEach
    void drainWorker() {
        if (worker != null) {
            worker.drain();
        }
    }

    private WorkerRuntime start(RuntimeSettings settings, io.rxon.worker.skill.Skill... skills) {
        worker = Workers.runtime(settings, transport, skills);
        worker.start();
        await().atMost(PATIENCE).until(() -> !orchestrator.registrations().isEmpty());
        return worker;
    }

    private Optional<TaskResult> resultOf(String taskId) {
        return orchestrator.results().stream().filter(r -> r.taskId().equals(taskId)).findFirst();
    }

    private TaskResult awaitResult(String taskId) {
        await().atMost(PATIENCE).until(() -> resultOf(taskId).isPresent());
        return resultOf(taskId).orElseThrow();
    }

    @Test
    void shouldRegisterWithItsSkillsSchemasAndHash() {
        // given a worker with echo and sleep
        start(Workers.settings(2), new EchoSkill(), new SleepSkill());

        // when it has registered
        WorkerRegistration registration = orchestrator.registrations().get(0);

        // then the registration carries every skill with its schemas, the hash and a timestamp
        assertThat(registration.workerId()).isEqualTo("w-1");
        assertThat(registration.supportedSkills()).extracting(s -> s.name()).containsExactly("echo", "sleep");
        assertThat(registration.supportedSkills().get(1).inputSchema()).containsKey("required");
        assertThat(registration.availableSkills()).containsExactly("echo", "sleep");
        assertThat(registration.skillsHash()).isEqualTo(worker.skills().skillsHash()).hasSize(64);
        assertThat(registration.capabilities().hostname()).isEqualTo("test-host");
        assertThat(registration.timestamp()).isNotNull();
        await().atMost(PATIENCE).until(worker::isReady);
    }

    @Test
    void shouldKeepRetryingRegistrationUntilTheOrchestratorAnswers() {
        // given an orchestrator that is unreachable for the first three attempts
        transport.failNextRegistrations(3, () -> new RxonNetworkException("connection refused", null));

        // when the worker starts
        worker = Workers.runtime(Workers.settings(1), transport, new EchoSkill());
        worker.start();

        // then it registers on the fourth attempt and becomes ready
        await().atMost(PATIENCE).until(() -> orchestrator.registrations().size() == 1);
        await().atMost(PATIENCE).until(worker::isReady);
    }

    @Test
    void shouldRunEchoEndToEndAndKeepTheOriginWorkerId() {
        // given a running worker
        start(Workers.settings(2), new EchoSkill());

        // when the orchestrator hands out an echo task relayed from another holon
        Map<String, Object> extra = new HashMap<>();
        extra.put("origin_worker_id", "edge-7");
        TaskPayload task = new TaskPayload("j-1", "t-1", "echo", Map.of("text", "hi", "n", 3), null, null, 0.0, null,
                null, null, null, null, null, 0, 0, null, extra);
        orchestrator.pushTask(task);

        // then the result echoes the params, names this worker as sender and the origin as executor
        TaskResult result = awaitResult("t-1");
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.data()).containsEntry("text", "hi").containsEntry("n", 3);
        assertThat(result.workerId()).isEqualTo("w-1");
        assertThat(result.originWorkerId()).isEqualTo("edge-7");
        assertThat(result.costs()).containsKey("execution_time_seconds");
        assertThat(worker.metrics().tasks("echo", "success")).isEqualTo(1.0);
    }

    @Test
    void shouldNeverHoldMoreTasksThanSlots() {
        // given a worker with two slots and five blocking tasks waiting
        TestSkills.BlockingSkill block = new TestSkills.BlockingSkill();
        start(Workers.settings(2), block);
        for (int i = 0; i < 5; i++) {
            orchestrator.pushTask(TaskPayload.of("j-1", "t-" + i, "block", Map.of()));
        }

        // when two are running
        await().atMost(PATIENCE).until(() -> block.running() == 2);

        // then it has taken no more than two, reports itself full and does not poll
        assertThat(orchestrator.queuedTasks()).isEqualTo(3);
        await().atMost(PATIENCE).until(() -> lastHeartbeat().map(h -> h.status().equals(WorkerStatus.FULL.wire()))
                .orElse(false));
        assertThat(lastHeartbeat().orElseThrow().currentTasks()).hasSize(2);
        assertThat(lastHeartbeat().orElseThrow().availableSkills()).isEmpty();

        // and when the tasks may finish, all five complete, never more than two at once
        block.release();
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 5);
        assertThat(block.peak()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> worker.slots().occupied() == 0);
    }

    @Test
    void shouldTakeNoMoreTasksWhileItsResultsAwaitDelivery() {
        // given a worker with two slots, five echo tasks waiting, and an orchestrator that cannot take results
        transport.failNextResults(10_000, () -> new RxonNetworkException("connection reset", null));
        start(Workers.settings(2), new EchoSkill());
        for (int i = 0; i < 5; i++) {
            orchestrator.pushTask(TaskPayload.of("j-1", "t-" + i, "echo", Map.of("i", i)));
        }

        // when the first two tasks ran and their results are being retried
        await().atMost(PATIENCE).until(() -> transport.resultAttempts() >= 6);

        // then the worker took no third task: its slots stay taken until the orchestrator has the results (tasks
        // finished but unreported would otherwise pile up in its outbox while their leases run out)
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> orchestrator.queuedTasks() == 3);
        assertThat(worker.slots().occupied()).isEqualTo(2);

        // and once results go through, all five are delivered
        transport.stopFailingResults();
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 5);
        await().atMost(PATIENCE).until(() -> worker.slots().occupied() == 0);
    }

    @Test
    void shouldReportInvalidInputWhenParamsBreakTheSchema() {
        // given a worker with the sleep skill
        start(Workers.settings(1), new SleepSkill());

        // when a task's params do not match the input schema
        orchestrator.pushTask(TaskPayload.of("j-1", "t-bad", "sleep", Map.of("seconds", "ten")));

        // then the result is an INVALID_INPUT_ERROR failure naming the offending field
        TaskResult result = awaitResult("t-bad");
        assertThat(result.status()).isEqualTo(ResultStatus.FAILURE.wire());
        assertThat(result.error().code()).isEqualTo(ErrorCode.INVALID_INPUT_ERROR.name());
        assertThat(result.error().message()).contains("$.seconds");
    }

    @Test
    void shouldOnlyPollForTheSkillsItHas() {
        // given a worker with echo only
        start(Workers.settings(1), new EchoSkill());

        // when it has polled a few times
        await().atMost(PATIENCE).until(() -> transport.polledSkills().size() >= 3);

        // then every poll asked for exactly its own skills, never an unknown one
        assertThat(transport.polledSkills()).allSatisfy(skills -> assertThat(skills).containsExactly("echo"));
    }

    @Test
    void shouldEmitProgressEventsWhileSleeping() {
        // given a worker with the sleep skill
        start(Workers.settings(1), new SleepSkill());

        // when it sleeps 0.2 s (one step)
        orchestrator.pushTask(TaskPayload.of("j-1", "t-sleep", "sleep", Map.of("seconds", 0.2)));

        // then a progress event for that task reached the orchestrator, then the result
        TaskResult result = awaitResult("t-sleep");
        assertThat(result.isSuccess()).isTrue();
        await().atMost(PATIENCE).until(() -> progressOf("t-sleep").size() == 1);
        WorkerEventPayload progress = progressOf("t-sleep").get(0);
        assertThat(progress.payload()).containsEntry("progress", 1.0);
        assertThat(progress.targetJobId()).isEqualTo("j-1");
        assertThat(progress.originWorkerId()).isEqualTo("w-1");
    }

    @Test
    void shouldSendEveryEventOfATaskBeforeItsResult() {
        // given a worker with the sleep skill
        start(Workers.settings(1), new SleepSkill());

        // when a sleep with two progress steps runs
        orchestrator.pushTask(TaskPayload.of("j-1", "t-order", "sleep", Map.of("seconds", 1.2)));
        awaitResult("t-order");

        // then the orchestrator heard both progress events before the result
        assertThat(transport.sequence()).containsSubsequence(
                "event:progress:t-order", "event:progress:t-order", "result:t-order");
        assertThat(transport.sequence().indexOf("result:t-order"))
                .isEqualTo(transport.sequence().lastIndexOf("event:progress:t-order") + 1);
    }

    @Test
    void shouldCancelATaskWhenTheSocketSaysSo() {
        // given a worker with a socket and a long sleep running
        start(Workers.settings(1, true, false, Duration.ofSeconds(5)), new SleepSkill());
        orchestrator.pushTask(TaskPayload.of("j-1", "t-long", "sleep", Map.of("seconds", 60)));
        await().atMost(PATIENCE).until(() -> worker.executor().currentTaskIds().contains("t-long"));

        // when the orchestrator sends cancel_task over the socket
        orchestrator.pushCommand(WorkerCommand.cancelTask("j-1", "t-long"));

        // then the task stops and is reported cancelled
        TaskResult result = awaitResult("t-long");
        assertThat(result.status()).isEqualTo(ResultStatus.CANCELLED.wire());
        assertThat(worker.metrics().tasks("sleep", "cancelled")).isEqualTo(1.0);
    }

    @Test
    void shouldCancelATaskNamedInAHeartbeatAnswer() {
        // given a long sleep running on a worker without socket
        start(Workers.settings(1), new SleepSkill());
        orchestrator.pushTask(TaskPayload.of("j-1", "t-hb", "sleep", Map.of("seconds", 60)));
        await().atMost(PATIENCE).until(() -> worker.executor().currentTaskIds().contains("t-hb"));

        // when a heartbeat answer lists it in cancel_task_ids
        orchestrator.queueHeartbeatResponse(new HeartbeatResponse("ok", null, List.of("t-hb")));

        // then it is reported cancelled
        assertThat(awaitResult("t-hb").status()).isEqualTo(ResultStatus.CANCELLED.wire());
    }

    @Test
    void shouldStopATaskAtItsDeadlineAndReportATimeout() {
        // given a worker with the sleep skill
        start(Workers.settings(1), new SleepSkill());

        // when a long sleep arrives whose deadline is a second away
        long deadline = java.time.Instant.now().plusSeconds(1).getEpochSecond();
        orchestrator.pushTask(new TaskPayload("j-1", "t-deadline", "sleep", Map.of("seconds", 60), null, null, 0.0,
                deadline, null, null, null, null, null, 0, 0, null, null));

        // then it is stopped and reported as a TIMEOUT_ERROR failure
        TaskResult result = awaitResult("t-deadline");
        assertThat(result.error().code()).isEqualTo(ErrorCode.TIMEOUT_ERROR.name());
    }

    @Test
    void shouldBeLiveButNotReadyUntilRegistered() {
        // given an orchestrator that refuses the first registrations
        transport.failNextRegistrations(1_000, () -> new RxonNetworkException("connection refused", null));

        // when the worker starts
        worker = Workers.runtime(Workers.settings(1), transport, new EchoSkill());
        worker.start();

        // then its threads run but it is not ready
        await().atMost(PATIENCE).until(worker::isLive);
        assertThat(worker.isReady()).isFalse();
        assertThat(worker.connection().isRegistered()).isFalse();
    }

    @Test
    void shouldRegisterAgainWhenTheOrchestratorAsksForAFullSync() {
        // given a registered worker
        start(Workers.settings(1), new EchoSkill());
        // (the heartbeat right after registering is answered first: it ignores a full-sync request)
        await().atMost(PATIENCE).until(() -> orchestrator.heartbeats().size() >= 2);

        // when a heartbeat answer asks for a full sync
        orchestrator.queueHeartbeatResponse(new HeartbeatResponse("ok", true, null));

        // then it registers again
        await().atMost(PATIENCE).until(() -> orchestrator.registrations().size() == 2);
    }

    @Test
    void shouldRegisterAgainWhenTheOrchestratorHasForgottenIt() {
        // given a registered worker
        start(Workers.settings(1), new EchoSkill());
        // (the heartbeat right after registering is answered first: it ignores a full-sync request)
        await().atMost(PATIENCE).until(() -> orchestrator.heartbeats().size() >= 2);

        // when a heartbeat is answered with JSON null (unknown worker)
        orchestrator.queueHeartbeatResponse(null);

        // then it registers again
        await().atMost(PATIENCE).until(() -> orchestrator.registrations().size() == 2);
    }

    @Test
    void shouldRetryAResultUntilTheOrchestratorAcceptsIt() {
        // given an orchestrator that fails the next four result submissions in different ways
        start(Workers.settings(1), new EchoSkill());
        transport.failNextResults(3, () -> new RxonNetworkException("connection reset", null));
        transport.failNextResults(1, () -> new RxonRateLimitException("slow down", Duration.ofMillis(20), null));

        // when a task finishes
        orchestrator.pushTask(TaskPayload.of("j-1", "t-retry", "echo", Map.of("x", 1)));

        // then the result is retried until accepted, and nothing stays pending
        TaskResult result = awaitResult("t-retry");
        assertThat(result.isSuccess()).isTrue();
        assertThat(transport.resultAttempts()).isEqualTo(5);
        await().atMost(PATIENCE).until(() -> worker.outbox().pending() == 0);
    }

    @Test
    void shouldFinishARunningTaskOnDrainAndSendOfflineLast() {
        // given a task that needs a moment
        start(Workers.settings(1), new SleepSkill());
        orchestrator.pushTask(TaskPayload.of("j-1", "t-drain", "sleep", Map.of("seconds", 0.3)));
        await().atMost(PATIENCE).until(() -> worker.executor().currentTaskIds().contains("t-drain"));

        // when the worker drains
        worker.drain();

        // then the task finished successfully, the worker said draining, and offline was the last word
        assertThat(resultOf("t-drain")).hasValueSatisfying(r -> assertThat(r.isSuccess()).isTrue());
        List<Heartbeat> heartbeats = orchestrator.heartbeats();
        assertThat(heartbeats.get(heartbeats.size() - 1).status()).isEqualTo(WorkerStatus.OFFLINE.wire());
        assertThat(heartbeats).extracting(Heartbeat::status).contains(WorkerStatus.DRAINING.wire());
        assertThat(worker.isDrained()).isTrue();
        assertThat(worker.isReady()).isFalse();
    }

    @Test
    void shouldCancelAndReportTasksThatOutliveTheGracePeriod() {
        // given a long task and a short grace period
        start(Workers.settings(1, false, false, Duration.ofMillis(200)), new SleepSkill());
        orchestrator.pushTask(TaskPayload.of("j-1", "t-slow", "sleep", Map.of("seconds", 60)));
        await().atMost(PATIENCE).until(() -> worker.executor().currentTaskIds().contains("t-slow"));

        // when the worker drains
        worker.drain();

        // then the task was cancelled and reported so before the worker went offline
        assertThat(resultOf("t-slow")).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(ResultStatus.CANCELLED.wire()));
        List<Heartbeat> heartbeats = orchestrator.heartbeats();
        assertThat(heartbeats.get(heartbeats.size() - 1).status()).isEqualTo(WorkerStatus.OFFLINE.wire());
    }

    @Test
    void shouldReportATaskThatIgnoresCancellationAsCancelledWhenDrainGivesUp() {
        // given a skill that ignores cancellation and a short grace period
        TestSkills.StubbornSkill stubborn = new TestSkills.StubbornSkill();
        start(Workers.settings(1, false, false, Duration.ofMillis(100)), stubborn);
        orchestrator.pushTask(TaskPayload.of("j-1", "t-stubborn", "stubborn", Map.of()));
        await().atMost(PATIENCE).until(() -> worker.executor().currentTaskIds().contains("t-stubborn"));

        try {
            // when the worker drains
            worker.drain();

            // then the task is still reported, as cancelled, exactly once
            assertThat(orchestrator.results()).extracting(TaskResult::taskId).containsExactly("t-stubborn");
            assertThat(orchestrator.results().get(0).status()).isEqualTo(ResultStatus.CANCELLED.wire());
        } finally {
            stubborn.finish();
        }
    }

    private Optional<Heartbeat> lastHeartbeat() {
        List<Heartbeat> heartbeats = orchestrator.heartbeats();
        return heartbeats.isEmpty() ? Optional.empty() : Optional.of(heartbeats.get(heartbeats.size() - 1));
    }

    private List<WorkerEventPayload> progressOf(String taskId) {
        return orchestrator.events().stream()
                .filter(e -> e.eventType().equals(Protocol.EVENT_PROGRESS) && taskId.equals(e.originTaskId()))
                .toList();
    }
}
