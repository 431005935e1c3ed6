package io.rxon.bench;

import io.rxon.e2e.ClientApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Submits echo jobs through the client API from several client threads, each with its own HTTP
 * client: closed loop (at most {@code window} jobs unfinished, for maximum throughput) or open loop
 * (a fixed offered rate, each job stamped with its scheduled instant so late sends count as latency).
 */
public final class Load {

    /** Results of the workers, counted by the scenario's sink. */
    public static final class Completion {
        public final AtomicLong accepted = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final Semaphore window;

        public Completion(int window) {
            this.window = new Semaphore(window);
        }

        public void done(boolean ok) {
            (ok ? accepted : failed).incrementAndGet();
            window.release();
        }
    }

    /** One phase: how many were submitted and completed, and how long submitting and completing took. */
    public record Phase(int submitted, long completed, int submitErrors, double submitSeconds, double totalSeconds,
            List<String> jobIds) {
        public double jobsPerSecond() {
            return completed / totalSeconds;
        }
    }

    private Load() {}

    public static Phase closedLoop(Target target, int jobs, int clients, Completion completion, Duration timeout) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        return run(target, clients, start, deadline, completion, jobs, (index, client, tally) -> {
            while (next.getAndIncrement() < jobs && System.nanoTime() < deadline) {
                if (!completion.window.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    return;
                }
                if (!tally.submit(client, System.nanoTime())) {
                    completion.window.release();
                }
            }
        });
    }

    /**
     * Offers {@code rate} jobs per second for {@code duration}; each job's {@code sent_ns} is its
     * scheduled instant. Waits (up to {@code drain}) for the results afterwards.
     */
    public static Phase openLoop(Target target, double rate, Duration duration, int clients, Completion completion,
            Duration drain) {
        int total = (int) Math.round(rate * duration.toMillis() / 1000.0);
        // Room for creating every client thread's HTTP client before the first scheduled submission.
        long start = System.nanoTime() + 50_000_000L + clients * 1_000_000L;
        long interval = Math.round(1e9 / rate);
        long deadline = start + duration.toNanos() + drain.toNanos();
        return run(target, clients, start, deadline, completion, total, (index, client, tally) -> {
            for (int k = index; k < total && System.nanoTime() < deadline; k += clients) {
                long scheduled = start + k * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                tally.submit(client, scheduled);
            }
        });
    }

    /** What one client thread does with its own HTTP client: submit its share of the jobs. */
    private interface ClientLoop {
        void run(int index, ClientApi client, Tally tally) throws InterruptedException;
    }

    /** The submissions of all client threads. */
    private record Tally(AtomicInteger submitted, AtomicInteger errors, List<String> ids) {

        boolean submit(ClientApi client, long sentNanos) {
            try {
                ids.add(client.submit(Map.of("type", SimWorkers.SKILL,
                        "params", Map.of("text", "hello, rxon", SimWorkers.SENT_NANOS, sentNanos))));
                submitted.incrementAndGet();
                return true;
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                return false;
            }
        }
    }

    /** Runs {@code loop} on {@code clients} threads, then waits (until {@code deadline}) for the results of what they submitted. */
    private static Phase run(Target target, int clients, long start, long deadline, Completion completion,
            int expectedJobs, ClientLoop loop) {
        long finishedBefore = completion.accepted.get() + completion.failed.get();
        Tally tally = new Tally(new AtomicInteger(), new AtomicInteger(),
                Collections.synchronizedList(new ArrayList<>(expectedJobs)));
        CountDownLatch submitters = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int index = c;
            ClientApi client = target.client();
            Thread thread = new Thread(() -> {
                try {
                    loop.run(index, client, tally);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    submitters.countDown();
                }
            }, "client-" + c);
            thread.setDaemon(true);
            thread.start();
        }
        await(submitters, deadline);
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        long wanted = finishedBefore + tally.submitted().get();
        while (completion.accepted.get() + completion.failed.get() < wanted && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(tally.submitted().get(), completion.accepted.get() + completion.failed.get() - finishedBefore,
                tally.errors().get(), submitSeconds, seconds, tally.ids());
    }

    /** How many of a sample of the jobs the API reports as finished (their result persisted). */
    public static int verifyFinished(Target target, List<String> ids, int sample) {
        ClientApi client = target.client();
        int finished = 0;
        List<String> copy;
        synchronized (ids) {
            copy = new ArrayList<>(ids);
        }
        Collections.shuffle(copy);
        for (String id : copy.subList(0, Math.min(sample, copy.size()))) {
            try {
                com.fasterxml.jackson.databind.JsonNode job = client.job(id);
                if ("finished".equals(job.get("status").asText()) && job.has("result")) {
                    finished++;
                }
            } catch (RuntimeException ignored) {
                // counted as not finished
            }
        }
        return finished;
    }

    private static void await(CountDownLatch latch, long deadlineNanos) {
        try {
            latch.await(Math.max(0, deadlineNanos - System.nanoTime()) + 1_000_000_000L, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
