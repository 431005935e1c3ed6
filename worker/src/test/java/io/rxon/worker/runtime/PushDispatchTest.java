package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.MockTransport;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.testing.RecordingTransport;
import io.rxon.worker.testing.TestSkills;
import io.rxon.worker.testing.Workers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Push dispatch against the in-memory orchestrator: negotiation, credits, fallback (docs/PUSH_DISPATCH.md). */
class PushDispatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final RecordingTransport transport = new RecordingTransport("w-push");
    private final MockTransport orchestrator = transport.mock();
    private WorkerRuntime worker;

    @AfterEach
    void drainWorker() {
        if (worker != null) {
            worker.drain();
        }
    }

    private void start(int slots, io.rxon.worker.skill.Skill... skills) {
        worker = Workers.runtime(Workers.settings(slots, true, true, Duration.ofSeconds(5)), transport, skills);
        worker.start();
        await().atMost(PATIENCE).until(worker::isPushActive);
    }

    @Test
    void shouldAnnouncePushDispatchAndGrantEveryFreeSlotAsCredit() {
        // given a push worker with three slots
        start(3, new EchoSkill());

        // then it registered with the capability and granted its three slots, and stopped polling
        WorkerRegistration registration = orchestrator.registrations().get(0);
        assertThat(registration.capabilities().extra())
                .containsEntry(Protocol.EXTRA_PUSH_DISPATCH, true)
                .containsEntry(Protocol.EXTRA_WEBSOCKETS, true);
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 3);
        int polls = transport.polledSkills().size();
        orchestrator.pushTask(TaskPayload.of("j-1", "t-1", "echo", Map.of("a", 1)));
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 1);
        assertThat(transport.polledSkills().size()).isLessThanOrEqualTo(polls + 1);
    }

    @Test
    void shouldStayOnLongPollAndGrantNoCreditsWhenTheOrchestratorDoesNotOfferPush() {
        // given an orchestrator that answers registrations like the reference (no push consent)
        orchestrator.setPushSupported(false);
        worker = Workers.runtime(Workers.settings(2, true, true, Duration.ofSeconds(5)), transport, new EchoSkill());

        // when the worker starts and a task is queued
        worker.start();
        await().atMost(PATIENCE).until(worker::isSocketOpen);
        orchestrator.pushTask(TaskPayload.of("j-1", "t-polled", "echo", Map.of()));

        // then the task is polled, the socket is open without push, and no credit was granted
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 1);
        assertThat(orchestrator.registrations().get(0).capabilities().extra())
                .containsEntry(Protocol.EXTRA_PUSH_DISPATCH, true);
        assertThat(worker.isPushActive()).isFalse();
        assertThat(orchestrator.availableCredits()).isZero();
        assertThat(transport.polledSkills()).isNotEmpty();
    }

    @Test
    void shouldRunPushedTasksAndGrantTheFreedSlotAgain() {
        // given a push worker with two slots
        start(2, new EchoSkill());
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 2);

        // when the orchestrator pushes a task
        orchestrator.pushTask(TaskPayload.of("j-1", "t-push", "echo", Map.of("x", "y")));

        // then it runs, its result goes back, and the freed slot is a credit again
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 1);
        TaskResult result = orchestrator.results().get(0);
        assertThat(result.taskId()).isEqualTo("t-push");
        assertThat(result.data()).containsEntry("x", "y");
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 2);
        assertThat(worker.outbox().pending()).isZero();
    }

    @Test
    void shouldNeverHoldMorePushedTasksThanSlots() {
        // given a push worker with two slots and five blocking tasks pushed
        TestSkills.BlockingSkill block = new TestSkills.BlockingSkill();
        start(2, block);
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 2);
        for (int i = 0; i < 5; i++) {
            orchestrator.pushTask(TaskPayload.of("j-1", "t-" + i, "block", Map.of()));
        }

        // then two run and three wait at the orchestrator
        await().atMost(PATIENCE).until(() -> block.running() == 2);
        assertThat(orchestrator.queuedTasks()).isEqualTo(3);
        assertThat(orchestrator.availableCredits()).isZero();

        // and when they may finish, all five complete, never more than two at once
        block.release();
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 5);
        assertThat(block.peak()).isEqualTo(2);
    }

    @Test
    void shouldGrantCreditsAgainAfterTheSocketReconnects() {
        // given a push worker whose socket the orchestrator drops
        start(2, new EchoSkill());
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 2);

        // when the socket is dropped (credits forgotten) and comes back
        orchestrator.dropSockets();

        // then the worker grants its free slots again and counts a reconnect
        await().atMost(PATIENCE).until(() -> orchestrator.availableCredits() == 2);
        assertThat(worker.metrics().reconnects("socket")).isEqualTo(1.0);
        assertThat(worker.slots().free()).isZero();
    }

    @Test
    void shouldFallBackToPollingAndRegisterAgainWhenPushIsRefused() {
        // given a push worker
        start(1, new EchoSkill());

        // when the orchestrator refuses push on this socket
        transport.socketListeners().get(0).onServerError(new ServerFrame.ServerError(
                "push dispatch was not negotiated", "CONTRACT_VIOLATION_ERROR", null, null));

        // then the worker registers again and reopens its socket with push on
        await().atMost(PATIENCE).until(() -> orchestrator.registrations().size() == 2);
        await().atMost(PATIENCE).until(() -> transport.socketListeners().size() == 2);
        await().atMost(PATIENCE).until(worker::isPushActive);

        // and tasks still get done
        orchestrator.pushTask(TaskPayload.of("j-1", "t-after", "echo", Map.of()));
        await().atMost(PATIENCE).until(() -> orchestrator.results().size() == 1);
    }
}
