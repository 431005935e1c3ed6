package io.rxon.common.transport;

import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.error.RxonException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code credit} frames waiting for their {@code credit_ack}. Acks carry no id: the orchestrator
 * answers credits in the order it reads them, so each ack completes the oldest waiting grant.
 * Every grant ends exactly once: acknowledged, timed out, or failed because the connection dropped.
 */
final class PendingCredits {

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();

    /** The grant's own future: hand callers a copy, so only this class completes it. */
    CompletableFuture<Void> await(int slots, Duration timeout) {
        CompletableFuture<Void> grant = new CompletableFuture<>();
        pending.add(grant);
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (pending.remove(grant)) {
                grant.completeExceptionally(new RxonAckTimeoutException(
                        "No credit_ack for " + slots + " credit(s) within " + timeout));
            }
        });
        return grant;
    }

    void completeOldest() {
        CompletableFuture<Void> oldest = pending.poll();
        if (oldest != null) {
            oldest.complete(null);
        }
    }

    void fail(CompletableFuture<Void> grant, RxonException error) {
        if (pending.remove(grant)) {
            grant.completeExceptionally(error);
        }
    }

    void failAll(RxonException error) {
        for (CompletableFuture<Void> grant = pending.poll(); grant != null; grant = pending.poll()) {
            grant.completeExceptionally(error);
        }
    }
}
