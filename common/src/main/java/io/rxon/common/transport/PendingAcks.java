package io.rxon.common.transport;

import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.protocol.socket.ServerFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Results sent over the socket that wait for their {@code result_ack}, keyed by task id (the ack
 * names the task). Every entry ends exactly once: acked, refused, timed out, or failed because
 * the connection dropped, so no caller waits forever.
 */
final class PendingAcks {

    private final ConcurrentMap<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();

    /** A second submission of the same task shares the first one's acknowledgement. */
    CompletableFuture<Boolean> await(String taskId, Duration timeout) {
        CompletableFuture<Boolean> created = new CompletableFuture<>();
        CompletableFuture<Boolean> existing = pending.putIfAbsent(taskId, created);
        if (existing != null) {
            return existing.copy();
        }
        // The timer may fire long after this entry was acked; it must not fail a later submission.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (pending.remove(taskId, created)) {
                created.completeExceptionally(
                        new RxonAckTimeoutException("No result_ack for task " + taskId + " within " + timeout));
            }
        });
        return created.copy();
    }

    void complete(ServerFrame.ResultAck ack) {
        CompletableFuture<Boolean> future = pending.remove(ack.taskId());
        if (future != null) {
            future.complete(ack.isAccepted());
        }
    }

    void fail(String taskId, RxonException error) {
        CompletableFuture<Boolean> future = pending.remove(taskId);
        if (future != null) {
            future.completeExceptionally(error);
        }
    }

    void failAll(RxonException error) {
        pending.keySet().forEach(taskId -> fail(taskId, error));
    }
}
