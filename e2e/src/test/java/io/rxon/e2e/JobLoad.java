package io.rxon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Clients submitting {@code total} jobs through the proxy, each thread its own HTTP client (so its
 * own connections, spread over the replicas): job {@code n} is {@code jobOf.apply(n)}. A submission
 * that gets no answer (its replica died under it) was not accepted and is sent again as a new
 * {@code n}; only answers 202 count as accepted, anything else is recorded as unexpected.
 */
final class JobLoad implements AutoCloseable {

    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    /** Accepted job id → its n, and the ids in the order they were accepted. */
    final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    final List<String> acceptedInOrder = new CopyOnWriteArrayList<>();
    final List<String> unanswered = new CopyOnWriteArrayList<>();
    final List<String> unexpected = new CopyOnWriteArrayList<>();

    JobLoad(ReplicaFleet fleet, int clients, int total, IntFunction<Map<String, Object>> jobOf) {
        threads = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            ClientApi client = fleet.throughProxy();
            running.add(threads.submit(() -> submit(client, total, jobOf)));
        }
    }

    private void submit(ClientApi client, int total, IntFunction<Map<String, Object>> jobOf) {
        while (acceptedCount.get() < total && !Thread.currentThread().isInterrupted()) {
            int n = next.getAndIncrement();
            HttpResponse<String> response;
            try {
                response = client.trySubmit(jobOf.apply(n));
            } catch (UncheckedIOException e) {
                unanswered.add(n + ": " + e.getCause());
                continue;
            }
            if (response.statusCode() == 202) {
                JsonNode body = Json.tree(response.body().getBytes(StandardCharsets.UTF_8));
                String jobId = body.get("job_id").asText();
                accepted.put(jobId, n);
                acceptedInOrder.add(jobId);
                acceptedCount.incrementAndGet();
            } else {
                unexpected.add(response.statusCode() + " " + response.body());
            }
        }
    }

    int acceptedCount() {
        return acceptedCount.get();
    }

    /** Waits for every client to have stopped (the total reached). */
    void awaitSubmitted() throws Exception {
        for (Future<?> client : running) {
            client.get(ReplicaFleet.LOAD_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    List<String> jobIds() {
        return List.copyOf(acceptedInOrder);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
