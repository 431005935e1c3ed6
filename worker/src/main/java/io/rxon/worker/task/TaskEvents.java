package io.rxon.worker.task;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends task events (progress and custom) to the orchestrator in the order they were emitted, on a
 * thread of its own, so a skill never waits on the network to report progress. Events are best
 * effort as in the reference (no acknowledgement, no retry): over the socket when one is open,
 * else over HTTP, and a failure is logged, never thrown into the skill.
 */
public final class TaskEvents implements AutoCloseable {

    private final Transport transport;
    private final Clock clock;
    private final String workerId;
    /** Events waiting to be sent at most; beyond it (orchestrator unreachable for long) new ones are dropped. */
    static final int MAX_QUEUED = 10_000;

    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED), WorkerThreads.named("rxon-events"));

    public TaskEvents(Transport transport, Clock clock, String workerId) {
        this.transport = transport;
        this.clock = clock;
        this.workerId = workerId;
    }

    public void progress(TaskPayload task, double fraction, String message) {
        send(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, fraction, message, now()));
    }

    public void emit(TaskPayload task, String eventType, Map<String, Object> payload) {
        send(WorkerEventPayload.custom(UUID.randomUUID().toString(), workerId, task, eventType, payload, now()));
    }

    /** Waits until every event emitted so far has been sent (or given up on). */
    public boolean flush(Duration timeout) {
        try {
            Future<?> marker = sender.submit(() -> { });
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    private void send(WorkerEventPayload event) {
        try {
            sender.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            Log.debugf("%s event of task %s dropped: shutting down, or too many events waiting", event.eventType(),
                    event.originTaskId());
        }
    }

    private void deliver(WorkerEventPayload event) {
        try {
            if (!transport.emitEvent(event)) {
                Log.infof("orchestrator did not accept %s event %s of task %s", event.eventType(), event.eventId(),
                        event.originTaskId());
            }
        } catch (RuntimeException e) {
            Log.warnf("%s event of task %s could not be sent: %s", event.eventType(), event.originTaskId(),
                    e.getMessage());
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
