package io.rxon.common.transport;

import static io.rxon.common.testing.RecordingSocketListener.next;
import static io.rxon.common.transport.TestMessages.CLOCK;
import static io.rxon.common.transport.TestMessages.TOKEN;
import static io.rxon.common.transport.TestMessages.WORKER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.protocol.socket.SocketFrames;
import io.rxon.common.protocol.socket.WorkerFrame;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.security.Signatures;
import io.rxon.common.testing.RecordingSocketListener;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket channel against a real WebSocket server: handshake, frames, reconnects, push dispatch. */
class WebSocketChannelTest {

    private static Vertx vertx;

    private StubSocketServer server;
    private HttpTransport transport;
    private final RecordingSocketListener listener = new RecordingSocketListener();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = StubSocketServer.start(vertx);
        transport = new HttpTransport(server.baseUrl(), WORKER_ID, TransportOptions.builder()
                .token(TOKEN)
                .signing(new MessageSigning(new HmacSigner(TOKEN), WORKER_ID))
                .clock(CLOCK)
                .requestTimeout(Duration.ofSeconds(5))
                .socketBackoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)))
                .socketAckTimeout(Duration.ofSeconds(5))
                .build());
    }

    @AfterEach
    void stopServer() {
        transport.close();
        server.close();
    }

    @Test
    void shouldSendIdentityHeadersInTheHandshake() {
        // when
        SocketSession session = transport.openSocket(listener, true);

        // then
        StubSocketServer.Connection connection = next(server.connections);
        assertThat(connection.path()).isEqualTo("/_worker/ws/worker-1");
        assertThat(connection.headers().get(Protocol.HEADER_WORKER_TOKEN)).isEqualTo(TOKEN);
        assertThat(connection.headers().get(Protocol.HEADER_WORKER_ID)).isEqualTo(WORKER_ID);
        assertThat(connection.headers().get(Protocol.HEADER_VERSION)).isEqualTo(Protocol.VERSION);
        assertThat(next(listener.connected)).isSameAs(session);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void shouldDeliverReferenceAndCustomCommands() {
        // given
        transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);

        // when
        connection.socket().writeTextMessage("{\"command\":\"cancel_task\",\"task_id\":\"t-1\",\"job_id\":\"j-1\"}");
        connection.socket().writeTextMessage("{\"command\":\"reload\",\"params\":{\"model\":\"llama\"}}");

        // then
        assertThat(next(listener.commands)).isEqualTo(WorkerCommand.cancelTask("j-1", "t-1"));
        assertThat(next(listener.commands)).isEqualTo(new WorkerCommand("reload", null, null,
                Map.of("model", "llama"), null));
    }

    @Test
    void shouldReassembleFragmentedTextFrames() {
        // given
        transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);

        // when
        connection.socket().writeFrame(WebSocketFrame.textFrame("{\"command\":\"cancel", false));
        connection.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("_task\",\"task_id\""), false));
        connection.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(":\"t-9\"}"), true));

        // then
        assertThat(next(listener.commands)).isEqualTo(WorkerCommand.cancelTask(null, "t-9"));
    }

    @Test
    void shouldSkipUnparseableFramesAndKeepListening() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);

        // when
        connection.socket().writeTextMessage("this is not json");
        connection.socket().writeTextMessage("{\"command\":\"run_task\"}");
        connection.socket().writeTextMessage("{\"command\":\"cancel_task\",\"task_id\":\"t-2\"}");

        // then
        assertThat(next(listener.commands).taskId()).isEqualTo("t-2");
        assertThat(listener.tasks).isEmpty();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void shouldReconnectAfterTheServerClosesTheSocket() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection first = next(server.connections);
        next(listener.connected);

        // when
        first.socket().close((short) 1001, "going away");

        // then
        assertThat(next(listener.disconnected)).isEqualTo(1001);
        StubSocketServer.Connection second = next(server.connections);
        assertThat(next(listener.connected)).isSameAs(session);
        second.socket().writeTextMessage("{\"command\":\"cancel_task\",\"task_id\":\"t-3\"}");
        assertThat(next(listener.commands).taskId()).isEqualTo("t-3");
    }

    @Test
    void shouldMakeASingleAttemptWithoutReconnect() {
        // given
        SocketSession session = transport.openSocket(listener, false);
        next(server.connections).socket().close();

        // when
        next(listener.disconnected);

        // then
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> server.connections.isEmpty());
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void shouldReportARefusedHandshake() {
        // given
        server.refuseHandshakes(1, 403);

        // when
        SocketSession session = transport.openSocket(listener, false);

        // then
        assertThat(next(listener.connectFailures)).isInstanceOfSatisfying(RxonAuthException.class,
                error -> assertThat(error.httpStatus()).contains(403));
        assertThat(session.isOpen()).isFalse();
        assertThat(listener.connected).isEmpty();
    }

    @Test
    void shouldKeepTryingWithBackoffUntilTheServerAccepts() {
        // given
        server.refuseHandshakes(2, 503);

        // when
        transport.openSocket(listener, true);

        // then
        next(server.connections);
        next(listener.connected);
        assertThat(listener.connectFailures).hasSize(2);
    }

    @Test
    void shouldEmitEventsOverTheSocketWhileConnected() {
        // given
        transport.openSocket(listener, true);
        next(listener.connected);

        // when
        boolean sent = transport.emitEvent(TestMessages.event("event-1"));

        // then
        assertThat(sent).isTrue();
        JsonNode frame = Json.tree(next(server.messages).getBytes());
        assertThat(frame.has(SocketFrames.FRAME_KEY)).as("reference events travel bare").isFalse();
        assertThat(frame.get("event_id").asText()).isEqualTo("event-1");
        assertThat(Signatures.verify(frame, frame.at("/security/signature").asText(), new HmacSigner(TOKEN),
                WorkerEventPayload.UNSIGNED_FIELDS)).isTrue();
        assertThat(server.httpCalls).isEmpty();
    }

    @Test
    void shouldFallBackToHttpWhenTheSocketIsDown() {
        // given
        SocketSession session = transport.openSocket(listener, false);
        next(server.connections).socket().close();
        next(listener.disconnected);

        // when
        boolean sent = transport.emitEvent(TestMessages.event("event-2"));

        // then
        assertThat(sent).isTrue();
        assertThat(session.isOpen()).isFalse();
        StubSocketServer.HttpCall call = next(server.httpCalls);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo(Protocol.PATH_EVENTS);
        assertThat(Json.read(call.body(), WorkerEventPayload.class).eventId()).isEqualTo("event-2");
    }

    @Test
    void shouldGrantCreditsAndReceivePushedTasks() throws Exception {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);
        next(listener.connected);

        // when
        CompletableFuture<Void> granted = session.grantCredits(2);
        WorkerFrame credit = SocketFrames.decodeWorkerFrame(next(server.messages));
        connection.socket().writeTextMessage(SocketFrames.encode(new ServerFrame.CreditAck(2)));
        connection.socket().writeTextMessage(SocketFrames.encode(new ServerFrame.RunTask(TestMessages.task("t-1"))));

        // then
        assertThat(credit).isEqualTo(new WorkerFrame.Credit(2));
        granted.get(5, TimeUnit.SECONDS);
        assertThat(next(listener.tasks)).isEqualTo(TestMessages.task("t-1"));
    }

    @Test
    void shouldFailACreditGrantWithAnAckTimeoutWhenTheOrchestratorDoesNotAnswerIt() {
        // given an orchestrator that reads credits but never answers them
        HttpTransport impatient = new HttpTransport(server.baseUrl(), WORKER_ID, TransportOptions.builder()
                .token(TOKEN).socketAckTimeout(Duration.ofMillis(100)).build());
        SocketSession session = impatient.openSocket(listener, true);
        next(listener.connected);

        // when
        CompletableFuture<Void> granted = session.grantCredits(1);

        // then
        await().atMost(Duration.ofSeconds(5)).until(granted::isDone);
        assertThat(granted.handle((value, error) -> error).join()).hasCauseInstanceOf(RxonAckTimeoutException.class)
                .hasMessageContaining("No credit_ack");
        assertThat(session.isOpen()).isTrue();
        impatient.close();
    }

    @Test
    void shouldSubmitSignedResultsOverTheSocketAndCompleteThemWithTheVerdict() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);
        next(listener.connected);

        // when
        CompletableFuture<Boolean> accepted = session.sendResult(TestMessages.result("t-1"));
        WorkerFrame received = SocketFrames.decodeWorkerFrame(next(server.messages));
        connection.socket().writeTextMessage(SocketFrames.encode(ServerFrame.ResultAck.accepted("job-1", "t-1")));
        CompletableFuture<Boolean> ignored = session.sendResult(TestMessages.result("t-2"));
        next(server.messages);
        connection.socket().writeTextMessage(
                SocketFrames.encode(ServerFrame.ResultAck.ignored("job-1", "t-2", IgnoredReason.DUPLICATE.wire())));

        // then
        assertThat(received).isInstanceOfSatisfying(WorkerFrame.Result.class, result -> {
            assertThat(result.result().taskId()).isEqualTo("t-1");
            assertThat(result.json().get("timestamp").asLong()).isEqualTo(TestMessages.NOW.getEpochSecond());
            assertThat(Signatures.verify(result.json(), result.json().at("/security/signature").asText(),
                    new HmacSigner(TOKEN), List.of())).isTrue();
        });
        assertThat(accepted.orTimeout(5, TimeUnit.SECONDS).join()).isTrue();
        assertThat(ignored.orTimeout(5, TimeUnit.SECONDS).join()).isFalse();
        assertThat(next(listener.acks).isAccepted()).isTrue();
        assertThat(next(listener.acks).reason()).isEqualTo(IgnoredReason.DUPLICATE.wire());
    }

    @Test
    void shouldFailAResultTheServerRefuses() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);
        next(listener.connected);
        CompletableFuture<Boolean> ack = session.sendResult(TestMessages.result("t-5"));
        next(server.messages);

        // when
        connection.socket().writeTextMessage(SocketFrames.encode(
                new ServerFrame.ServerError("Invalid message signature", "SECURITY_ERROR", "job-1", "t-5")));

        // then
        await().atMost(Duration.ofSeconds(5)).until(ack::isDone);
        assertThat(ack).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(RxonAuthException.class).withMessage("Invalid message signature");
        assertThat(next(listener.errors).code()).isEqualTo("SECURITY_ERROR");
        assertThat(session.isOpen()).as("a refusal does not close the socket").isTrue();
    }

    @Test
    void shouldFailPendingResultsWhenTheSocketDrops() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        StubSocketServer.Connection connection = next(server.connections);
        next(listener.connected);
        CompletableFuture<Boolean> ack = session.sendResult(TestMessages.result("t-6"));
        next(server.messages);

        // when
        connection.socket().close();

        // then
        await().atMost(Duration.ofSeconds(5)).until(ack::isDone);
        assertThat(ack.handle((value, error) -> error).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RxonNetworkException.class);
    }

    @Test
    void shouldFailAResultWhoseAcknowledgementNeverArrives() {
        // given
        HttpTransport impatient = new HttpTransport(server.baseUrl(), WORKER_ID, TransportOptions.builder()
                .token(TOKEN).socketAckTimeout(Duration.ofMillis(100)).build());
        SocketSession session = impatient.openSocket(listener, true);
        next(listener.connected);

        // when
        CompletableFuture<Boolean> ack = session.sendResult(TestMessages.result("t-7"));

        // then
        await().atMost(Duration.ofSeconds(5)).until(ack::isDone);
        assertThat(ack.handle((value, error) -> error).join()).hasCauseInstanceOf(RxonAckTimeoutException.class)
                .hasMessageContaining("No result_ack for task t-7");
        impatient.close();
    }

    @Test
    void shouldRefuseToSendAfterTheSessionIsClosed() {
        // given
        SocketSession session = transport.openSocket(listener, true);
        next(listener.connected);

        // when
        session.close();

        // then
        assertThat(next(listener.disconnected)).isEqualTo(1000);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.sendEvent(TestMessages.event("event-3"))).isCompletedExceptionally();
        assertThat(session.grantCredits(1)).isCompletedExceptionally();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> listener.connected.isEmpty());
    }
}
