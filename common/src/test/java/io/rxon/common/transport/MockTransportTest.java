package io.rxon.common.transport;

import static io.rxon.common.transport.TestMessages.WORKER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.testing.RecordingSocketListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-memory transport behaves like a small orchestrator that tests can drive and inspect. */
class MockTransportTest {

    private final MockTransport transport = new MockTransport(WORKER_ID, "token");

    @Test
    void shouldHandPushedTaskToNextPoll() {
        // given
        transport.pushTask(TestMessages.task("task-1"));

        // when
        Optional<TaskPayload> task = transport.pollTask(Duration.ofSeconds(1), null, null);

        // then
        assertThat(task).map(TaskPayload::taskId).contains("task-1");
        assertThat(transport.queuedTasks()).isZero();
    }

    @Test
    void shouldWaitUpToTheTimeoutForATask() {
        // given
        CompletableFuture<Optional<TaskPayload>> poll =
                CompletableFuture.supplyAsync(() -> transport.pollTask(Duration.ofSeconds(5), null, null));

        // when
        transport.pushTask(TestMessages.task("task-late"));

        // then
        await().atMost(Duration.ofSeconds(5)).until(poll::isDone);
        assertThat(poll.join()).map(TaskPayload::taskId).contains("task-late");
    }

    @Test
    void shouldReturnNoTaskWhenTheTimeoutPasses() {
        assertThat(transport.pollTask(Duration.ofMillis(20), null, null)).isEmpty();
    }

    @Test
    void shouldRecordEverythingTheWorkerSends() {
        // when
        transport.connect();
        RegistrationResponse registered = transport.register(TestMessages.registration());
        transport.sendHeartbeat(TestMessages.heartbeat());
        transport.sendResult(TestMessages.result("task-1"));
        transport.emitEvent(TestMessages.event("event-1"));

        // then
        assertThat(transport.isConnected()).isTrue();
        assertThat(registered.status()).isEqualTo("registered");
        assertThat(transport.registrations()).hasSize(1);
        assertThat(transport.heartbeats()).hasSize(1);
        assertThat(transport.results()).singleElement().extracting(r -> r.taskId()).isEqualTo("task-1");
        assertThat(transport.events()).singleElement().extracting(e -> e.eventId()).isEqualTo("event-1");
        assertThatThrownBy(() -> transport.results().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldAnswerHeartbeatsAsConfigured() {
        // given
        HeartbeatResponse cancel = new HeartbeatResponse("ok", null, List.of("task-7"));
        transport.queueHeartbeatResponse(cancel);
        transport.queueHeartbeatResponse(null);

        // when
        Optional<HeartbeatResponse> first = transport.sendHeartbeat(TestMessages.heartbeat());
        Optional<HeartbeatResponse> second = transport.sendHeartbeat(TestMessages.heartbeat());
        Optional<HeartbeatResponse> third = transport.sendHeartbeat(TestMessages.heartbeat());
        transport.setHeartbeatResponse(null);
        Optional<HeartbeatResponse> fourth = transport.sendHeartbeat(TestMessages.heartbeat());

        // then
        assertThat(first).contains(cancel);
        assertThat(second).isEmpty();
        assertThat(third).contains(HeartbeatResponse.ok());
        assertThat(fourth).isEmpty();
    }

    @Test
    void shouldReportIgnoredResultsWhenConfigured() {
        // given
        transport.setIgnoreResults(true);

        // when / then
        assertThat(transport.sendResult(TestMessages.result("task-1"))).isFalse();
    }

    @Test
    void shouldHandOutTheMockRefreshToken() {
        // when
        Optional<TokenResponse> refreshed = transport.refreshToken();

        // then
        assertThat(refreshed).hasValueSatisfying(token -> {
            assertThat(token.accessToken()).isEqualTo(MockTransport.REFRESHED_TOKEN).isEqualTo("refreshed-mock-token");
            assertThat(token.workerId()).isEqualTo(WORKER_ID);
        });
        assertThat(transport.token()).isEqualTo(MockTransport.REFRESHED_TOKEN);
    }

    @Test
    void shouldDeliverCommandsToOpenSocketsAndKeepEarlierOnesForTheFirstSocket() {
        // given
        RecordingSocketListener listener = new RecordingSocketListener();
        transport.pushCommand(WorkerCommand.cancelTask("job-1", "task-early"));

        // when
        SocketSession session = transport.openSocket(listener, true);
        transport.pushCommand(new WorkerCommand("reload", null, null, Map.of("what", "models"), null));

        // then
        assertThat(session.isOpen()).isTrue();
        assertThat(listener.connected).hasSize(1);
        assertThat(listener.commands).extracting(WorkerCommand::command).containsExactly("cancel_task", "reload");
    }

    @Test
    void shouldPushTasksAgainstGrantedCreditsAndQueueTheRest() {
        // given
        RecordingSocketListener listener = new RecordingSocketListener();
        SocketSession session = transport.openSocket(listener, true);
        transport.pushTask(TestMessages.task("task-queued"));

        // when
        session.grantCredits(2).join();
        transport.pushTask(TestMessages.task("task-pushed"));
        transport.pushTask(TestMessages.task("task-polled"));

        // then
        assertThat(RecordingSocketListener.next(listener.tasks).taskId()).isEqualTo("task-queued");
        assertThat(RecordingSocketListener.next(listener.tasks).taskId()).isEqualTo("task-pushed");
        assertThat(transport.availableCredits()).isZero();
        assertThat(transport.pollTask(Duration.ofMillis(10), null, null)).map(TaskPayload::taskId)
                .contains("task-polled");
    }

    @Test
    void shouldForgetCreditsAndReconnectWhenSocketsDrop() {
        // given
        RecordingSocketListener listener = new RecordingSocketListener();
        SocketSession session = transport.openSocket(listener, true);
        session.grantCredits(3).join();

        // when
        transport.dropSockets();

        // then
        assertThat(transport.availableCredits()).isZero();
        assertThat(listener.disconnected).containsExactly(1006);
        assertThat(listener.connected).hasSize(2);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void shouldAcknowledgeResultsSentOverTheSocket() {
        // given
        RecordingSocketListener listener = new RecordingSocketListener();
        SocketSession session = transport.openSocket(listener, false);

        // when
        boolean accepted = session.sendResult(TestMessages.result("task-1")).join();
        session.close();

        // then
        assertThat(accepted).isTrue();
        assertThat(listener.acks).extracting(ServerFrame.ResultAck::taskId).containsExactly("task-1");
        assertThat(transport.results()).hasSize(1);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.sendEvent(TestMessages.event("event-1"))).isCompletedExceptionally();
    }
}
