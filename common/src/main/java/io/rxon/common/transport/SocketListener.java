package io.rxon.common.transport;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;

/**
 * Receives what the orchestrator pushes down a worker's socket and the socket's life cycle. All
 * methods have empty defaults so a worker implements only what it uses (a reference-only worker
 * just {@link #onCommand}). Callbacks run on the HTTP client's threads, one frame at a time per
 * connection: hand long work to your own executor. An exception thrown here is logged and does
 * not close the socket.
 */
public interface SocketListener {

    /**
     * The socket is open (first time or after a reconnect). The orchestrator forgets credits when
     * a socket closes, so a push-dispatch worker grants its free slots again here.
     */
    default void onConnected(SocketSession session) {}

    /** An open socket closed; {@code statusCode} 1006 when it broke without a close frame. */
    default void onDisconnected(int statusCode, String reason) {}

    /** A connection attempt failed (refused, handshake rejected); a reconnecting session tries again. */
    default void onConnectFailed(RxonException error) {}

    /** A reference command: {@code cancel_task} or a custom one. */
    default void onCommand(WorkerCommand command) {}

    /** Push dispatch: a task sent against a granted credit. */
    default void onTask(TaskPayload task) {}

    /** The orchestrator's verdict on a result sent over the socket (also completes its future). */
    default void onResultAck(ServerFrame.ResultAck ack) {}

    /** The orchestrator refused a frame (also fails the matching result future, if any). */
    default void onServerError(ServerFrame.ServerError error) {}
}
