package io.rxon.common.transport;

import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's handle on its socket channel, which outlives individual connections when it
 * reconnects. Sends fail fast (a failed future carrying an
 * {@link io.rxon.common.error.RxonNetworkException}) while no connection is open, so callers fall
 * back to HTTP instead of queueing work behind a dead socket.
 */
public interface SocketSession extends AutoCloseable {

    /** Whether a connection is open right now. */
    boolean isOpen();

    /**
     * Push dispatch: lets the orchestrator push {@code slots} more tasks over this connection.
     * Completes when the orchestrator answers with {@code credit_ack}; fails when the connection
     * drops, or with {@link io.rxon.common.error.RxonAckTimeoutException} when no answer comes in
     * time (the orchestrator is not pushing: fall back to long-poll).
     */
    CompletableFuture<Void> grantCredits(int slots);

    /**
     * Submits a result as a {@code result} frame, signed like its HTTP counterpart. Completes with
     * true when acknowledged as accepted, false when ignored; fails when the connection drops, or
     * with {@link io.rxon.common.error.RxonAckTimeoutException} when the acknowledgement does not
     * arrive in time (the result may then be posted over HTTP: the orchestrator de-duplicates).
     */
    CompletableFuture<Boolean> sendResult(TaskResult result);

    /** Sends an event as a bare reference frame; completes once it is written to the socket. */
    CompletableFuture<Void> sendEvent(WorkerEventPayload event);

    /** Closes the connection and stops reconnecting. */
    @Override
    void close();
}
