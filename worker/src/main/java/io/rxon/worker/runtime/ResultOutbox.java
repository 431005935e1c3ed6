package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.worker.task.TaskFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers finished results until the orchestrator acknowledges them, however long that takes:
 * queued across disconnects, retried with capped backoff plus jitter (honouring
 * {@code Retry-After}), each result on its own schedule so one stubborn result never holds up the
 * others. Results are idempotent on the server (a repeat is answered {@code ignored}/duplicate), so
 * retrying is always safe. Each attempt is re-timestamped, because the orchestrator refuses
 * messages older than 60 seconds. With push dispatch a result goes over the socket first and falls
 * back to HTTP when no acknowledgement comes (and push dispatch hears of the silence).
 */
public final class ResultOutbox {

    private static final Duration POLL_STEP = Duration.ofMillis(250);
    private static final Duration FLUSH_BACKOFF_CAP = Duration.ofSeconds(1);

    private final Transport transport;
    private final Supplier<Optional<SocketSession>> socket;
    private final Consumer<SocketSession> unanswered;
    private final ConnectionState connection;
    private final Clock clock;
    private final RuntimeSettings settings;
    private final Object lock = new Object();
    private final List<Entry> waiting = new ArrayList<>();
    private final Thread sender;
    private int inFlight;
    private volatile boolean running = true;
    private boolean flushing;

    /**
     * @param socket the push-dispatch socket while one is active
     * @param unanswered told when a result sent over that socket got no answer in time
     */
    public ResultOutbox(Transport transport, Supplier<Optional<SocketSession>> socket,
            Consumer<SocketSession> unanswered, ConnectionState connection, Clock clock, RuntimeSettings settings) {
        this.transport = transport;
        this.socket = socket;
        this.unanswered = unanswered;
        this.connection = connection;
        this.clock = clock;
        this.settings = settings;
        this.sender = new Thread(this::run, "rxon-results");
        this.sender.setDaemon(true);
    }

    public void start() {
        sender.start();
    }

    public boolean isAlive() {
        return sender.isAlive();
    }

    /** Queues a result for delivery. Never blocks, never drops it. */
    public void submit(TaskResult result) {
        submit(result, () -> { });
    }

    /**
     * Queues a result for delivery; {@code settled} runs once it is (acknowledged, ignored as late or
     * refused for good) or lost at {@link #stop()}.
     */
    public void submit(TaskResult result, Runnable settled) {
        synchronized (lock) {
            waiting.add(new Entry(result, settings.newBackoff(), System.nanoTime(), settled));
            lock.notifyAll();
        }
    }

    /** Results not yet acknowledged. */
    public int pending() {
        synchronized (lock) {
            return waiting.size() + inFlight;
        }
    }

    /**
     * Retries everything now and keeps backoffs short until the outbox is empty or {@code timeout}
     * passed; returns whether everything was delivered.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            flushing = true;
            long now = System.nanoTime();
            waiting.forEach(entry -> entry.dueNanos = now);
            lock.notifyAll();
            while (!waiting.isEmpty() || inFlight > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return waiting.isEmpty() && inFlight == 0;
                }
            }
            return true;
        }
    }

    /** Stops the sender; whatever is still queued is logged as lost. */
    public void stop() {
        running = false;
        sender.interrupt();
        try {
            sender.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            for (Entry entry : waiting) {
                Log.errorf("result of task %s (job %s) was never acknowledged and is lost", entry.result.taskId(),
                        entry.result.jobId());
                entry.settled.run();
            }
        }
    }

    private void run() {
        while (running) {
            Entry entry;
            try {
                entry = nextDue();
            } catch (InterruptedException e) {
                continue;
            }
            if (entry != null) {
                attempt(entry);
            }
        }
    }

    /** The entry due first, once it is due; null after a wait step without one. */
    private Entry nextDue() throws InterruptedException {
        synchronized (lock) {
            Entry first = null;
            for (Entry entry : waiting) {
                if (first == null || entry.dueNanos < first.dueNanos) {
                    first = entry;
                }
            }
            long wait = first == null ? POLL_STEP.toNanos() : first.dueNanos - System.nanoTime();
            if (first != null && wait <= 0) {
                waiting.remove(first);
                inFlight++;
                return first;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, Math.min(wait, POLL_STEP.toNanos()));
            return null;
        }
    }

    private void attempt(Entry entry) {
        boolean done = false;
        try {
            boolean accepted = deliver(entry.result.withSecurity(null).withTimestamp(now()));
            connection.contactSucceeded();
            if (!accepted) {
                Log.infof("orchestrator ignored the result of task %s (late, cancelled or a duplicate)",
                        entry.result.taskId());
            }
            done = true;
        } catch (RuntimeException e) {
            if (isRefusedForGood(e)) {
                // The orchestrator read the result and will never take it (it has already ended the task):
                // sending it again would only repeat the refusal forever.
                Log.errorf("orchestrator refused the result of task %s for good, dropping it: %s",
                        entry.result.taskId(), e.getMessage());
                done = true;
                return;
            }
            connection.contactFailed("sending the result of task " + entry.result.taskId(), e);
            Duration wait = entry.backoff.next(e);
            synchronized (lock) {
                if (flushing && wait.compareTo(FLUSH_BACKOFF_CAP) > 0) {
                    wait = FLUSH_BACKOFF_CAP;
                }
            }
            Log.debugf("result of task %s: attempt %d failed, next in %d ms", entry.result.taskId(),
                    entry.backoff.failures(), wait.toMillis());
            entry.dueNanos = System.nanoTime() + wait.toNanos();
        } finally {
            synchronized (lock) {
                inFlight--;
                if (!done) {
                    waiting.add(entry);
                }
                lock.notifyAll();
            }
            if (done) {
                entry.settled.run();
            }
        }
    }

    /** Over the socket when push is active (falling back to HTTP if no ack comes), else over HTTP. */
    private boolean deliver(TaskResult result) {
        Optional<SocketSession> channel = socket.get();
        if (channel.isPresent()) {
            try {
                return channel.get().sendResult(result).get(settings.contactTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = TaskFailures.unwrap(e);
                Log.debugf("result of task %s not acknowledged over the socket, posting it: %s", result.taskId(),
                        cause.getMessage());
                if (cause instanceof RxonAckTimeoutException || cause instanceof TimeoutException) {
                    unanswered.accept(channel.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending a result", e);
            }
        }
        return transport.sendResult(result);
    }

    /** A 400, 413 or 422: the result itself is wrong, so no retry can succeed. */
    static boolean isRefusedForGood(Throwable failure) {
        return TaskFailures.unwrap(failure) instanceof RxonProtocolException refused && refused.isRefusedForGood();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** One result with its own retry schedule. */
    private static final class Entry {
        private final TaskResult result;
        private final RetryBackoff backoff;
        private final Runnable settled;
        private long dueNanos;

        Entry(TaskResult result, RetryBackoff backoff, long dueNanos, Runnable settled) {
            this.result = result;
            this.backoff = backoff;
            this.dueNanos = dueNanos;
            this.settled = settled;
        }
    }
}
