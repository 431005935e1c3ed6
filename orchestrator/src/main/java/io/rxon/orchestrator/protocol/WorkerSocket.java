package io.rxon.orchestrator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.socket.InvalidFrameException;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.protocol.socket.SocketFrames;
import io.rxon.common.protocol.socket.WorkerFrame;
import io.rxon.common.security.MessageVerifier;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.error.ErrorCatalog;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The worker's command socket {@code /_worker/ws/{worker_id}} (PROTOCOL.md §4.5 and the
 * push-dispatch extension, docs/PUSH_DISPATCH.md): one socket per worker (a newer one, by the order
 * its upgrade was accepted in, closes the older with 1008, on whichever replica it is:
 * {@link NewestSockets} here, {@link SocketRouter} across replicas), cancel commands down, events up,
 * and, when the worker's stored registration announced {@code push_dispatch}, tasks pushed against
 * its credits and results acknowledged frame by frame. Credits count only on the worker's current
 * socket ({@link SocketSessions}); results and events are accepted on a replaced one too.
 */
@WebSocket(path = "/_worker/ws/{worker_id}", endpointId = WorkerSocket.ENDPOINT_ID)
public class WorkerSocket {

    static final String ENDPOINT_ID = "rxon-worker-socket";
    static final CloseReason REPLACED = new CloseReason(1008, "New connection established");
    static final CloseReason TOKEN_EXPIRED = new CloseReason(1008, "Access token expired");
    static final CloseReason TOO_BIG = new CloseReason(1009, "Message too big");

    /** Set on a connection once one of its credit frames was ignored, so that is logged once. */
    private static final UserData.TypedKey<Boolean> CREDITS_IGNORED =
            UserData.TypedKey.forBoolean("rxon.credits-ignored");

    private final SocketSessions sessions;
    private final WorkerRegistry registry;
    private final SignatureKeys keys;
    private final Vertx vertx;
    private final WorkerInbox inbox;

    public WorkerSocket(Dispatcher dispatcher, SocketRouter router, WorkerRegistry registry,
            SignatureKeys keys, Vertx vertx, WorkerInbox inbox) {
        this.sessions = new SocketSessions(dispatcher, router, WorkerSocket::closeAsReplaced);
        this.registry = registry;
        this.keys = keys;
        this.vertx = vertx;
        this.inbox = inbox;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        String workerId = connection.userData().get(WorkerSocketAuth.WORKER_ID);
        long generation = connection.userData().get(WorkerSocketAuth.GENERATION);
        boolean push = registry.find(workerId).map(state -> state.registration().asksForPushDispatch()).orElse(false);
        boolean kept = sessions.open(workerId, generation, connection, push,
                command -> send(connection, new ServerFrame.CancelTask(command.jobId(), command.taskId())),
                claimed -> send(connection, new ServerFrame.RunTask(claimed.payload())));
        if (!kept) {
            // the worker opened a newer socket, whose callback ran first: this one is already replaced
            Log.infof("worker %s opened a newer socket before this one's opening ran; closing this one", workerId);
            closeAsReplaced(connection);
            return;
        }
        closeWhenCredentialExpires(connection);
        Log.infof("worker %s opened its socket (push dispatch %s)", workerId, push ? "on" : "off");
        if (connection.isClosed()) {
            // @OnClose runs on another worker thread and may have run before this callback
            sessions.forget(workerId, connection);
        }
    }

    @OnTextMessage
    Uni<Void> message(String text, WebSocketConnection connection) {
        String workerId = connection.userData().get(WorkerSocketAuth.WORKER_ID);
        WorkerFrame frame;
        try {
            frame = SocketFrames.decodeWorkerFrame(text);
        } catch (InvalidFrameException e) {
            Log.infof("worker %s sent an unreadable frame: %s", workerId, e.getMessage());
            send(connection, new ServerFrame.ServerError(e.getMessage(), "INVALID_INPUT_ERROR", null, null));
            return Uni.createFrom().voidItem();
        }
        if (frame instanceof WorkerFrame.Event event) {
            return acceptEvent(workerId, connection, event.json(), event.event());
        }
        if (frame instanceof WorkerFrame.Credit credit) {
            return grant(workerId, connection, credit.slots());
        }
        WorkerFrame.Result result = (WorkerFrame.Result) frame;
        return acceptResult(workerId, connection, result.json(), result.result());
    }

    @OnClose
    void close(WebSocketConnection connection) {
        String workerId = connection.userData().get(WorkerSocketAuth.WORKER_ID);
        sessions.forget(workerId, connection);
        Log.infof("worker %s closed its socket", workerId);
    }

    /**
     * A frame over {@code quarkus.websockets-next.server.max-message-size} leaves the socket's frame
     * assembly unusable: it is closed with 1009 (Message Too Big), as RFC 6455 says, and the worker
     * reconnects. Anything else unexpected is logged once and the socket kept.
     */
    @OnError
    Uni<Void> failed(Throwable error, WebSocketConnection connection) {
        String workerId = connection.userData().get(WorkerSocketAuth.WORKER_ID);
        if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).contains("max message size")) {
            Log.infof("worker %s sent a socket message over the size limit; closing with 1009", workerId);
            return connection.close(TOO_BIG);
        }
        Log.warnf(error, "socket of worker %s failed", workerId);
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> acceptEvent(String workerId, WebSocketConnection connection, JsonNode json,
            WorkerEventPayload event) {
        return Uni.createFrom().deferred(() -> inbox.event(workerId, json, verifier(connection)))
                .onFailure().invoke(error -> Log.infof("event %s from worker %s refused: %s", event.eventId(),
                        workerId, error.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Credits count only for the connection they came on, and only while it is the worker's socket.
     * A replaced socket's credits are ignored without an answer: its balance went with it, its 1008
     * close is the answer (PROTOCOL.md §4.5), and an {@code error} frame would tell the worker that
     * push was refused.
     */
    private Uni<Void> grant(String workerId, WebSocketConnection connection, int slots) {
        SocketSessions.Session session = sessions.of(workerId, connection).orElse(null);
        if (session == null) {
            if (connection.userData().put(CREDITS_IGNORED, Boolean.TRUE) == null) {
                Log.infof("worker %s sent credits on a socket it no longer holds; ignored", workerId);
            }
        } else if (session.push() == null) {
            send(connection, new ServerFrame.ServerError("push dispatch was not negotiated: register with "
                    + "capabilities.extra.push_dispatch=true", "CONTRACT_VIOLATION_ERROR", null, null));
        } else {
            session.push().grant(slots);
            // The answer is how the worker knows pushing works; without it the worker falls back to long-poll.
            send(connection, new ServerFrame.CreditAck(slots));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> acceptResult(String workerId, WebSocketConnection connection, JsonNode json, TaskResult result) {
        return Uni.createFrom().deferred(() -> inbox.result(workerId, json, verifier(connection)))
                .map(outcome -> outcome.isAccepted()
                        ? ServerFrame.ResultAck.accepted(result.jobId(), result.taskId())
                        : (ServerFrame) ServerFrame.ResultAck.ignored(result.jobId(), result.taskId(),
                                outcome.response().reason()))
                .onFailure().recoverWithItem(error -> new ServerFrame.ServerError(error.getMessage(),
                        ErrorCatalog.of(error).code().name(), result.jobId(), result.taskId()))
                .invoke(frame -> send(connection, frame))
                .replaceWithVoid();
    }

    private MessageVerifier verifier(WebSocketConnection connection) {
        return keys.forMessage(connection.userData().get(WorkerSocketAuth.IDENTITY));
    }

    /** A socket opened with a Keycloak token lives no longer than the token; the worker reconnects with a new one. */
    private void closeWhenCredentialExpires(WebSocketConnection connection) {
        Long expiresAt = connection.userData().get(WorkerSocketAuth.IDENTITY).expiresAt();
        if (expiresAt == null) {
            return;
        }
        long delay = Math.max(1, expiresAt * 1000 - System.currentTimeMillis());
        vertx.setTimer(delay, id -> {
            if (connection.isOpen()) {
                connection.close(TOKEN_EXPIRED).subscribe().with(ignored -> { }, error -> { });
            }
        });
    }

    private static void closeAsReplaced(WebSocketConnection connection) {
        connection.close(REPLACED).subscribe().with(ignored -> { }, error -> { });
    }

    private static void send(WebSocketConnection connection, ServerFrame frame) {
        connection.sendText(SocketFrames.encode(frame)).subscribe().with(ignored -> { },
                error -> Log.debugf("frame to a closed socket dropped: %s", error.getMessage()));
    }
}
