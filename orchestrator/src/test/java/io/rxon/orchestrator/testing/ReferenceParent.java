package io.rxon.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.ZeroTrustGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A parent orchestrator that behaves as the Python reference does on its worker API and nothing
 * more (PROTOCOL.md §4): long-poll tasks (204 when none), HTTP results, heartbeats and events, the
 * worker token in {@code X-Worker-Token}, and every message's HMAC signature and timestamp checked
 * (events without {@code bubbling_chain}). It records what it received, so tests see exactly what an
 * orchestrator sends upward; a real HTTP server on loopback, not a mock.
 */
public final class ReferenceParent implements AutoCloseable {

    private final String token;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final ZeroTrustGate gate = new ZeroTrustGate(Clock.systemUTC());
    private final BlockingQueue<TaskPayload> tasks = new LinkedBlockingQueue<>();
    private final List<String> cancels = new CopyOnWriteArrayList<>();
    private final AtomicBoolean resultsDown = new AtomicBoolean();
    private final AtomicBoolean eventsDown = new AtomicBoolean();

    public final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
    public final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    public final List<JsonNode> results = new CopyOnWriteArrayList<>();
    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    public final List<String> refused = new CopyOnWriteArrayList<>();
    /**
     * When set, answers the rxon-java extension {@link Protocol#PATH_BLOB_UPLOAD_URLS} as an
     * rxon-java parent with another store would; unset (the reference), that path is a 404.
     */
    public volatile Function<JsonNode, Map<String, Object>> blobUploadUrls;
    /** Every result and event taken, in the order they arrived. */
    private final List<JsonNode> taken = new CopyOnWriteArrayList<>();

    private ReferenceParent(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext(Protocol.WORKER_PREFIX, this::handle);
        server.start();
    }

    public static ReferenceParent start(String token) {
        try {
            return new ReferenceParent(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hands {@code task} to the next poll. */
    public void offer(TaskPayload task) {
        tasks.add(task);
    }

    /** The next heartbeat answer names this task in {@code cancel_task_ids}. */
    public void cancel(String taskId) {
        cancels.add(taskId);
    }

    /** Whether every cancellation asked for has gone out in a heartbeat answer. */
    public boolean cancelsDelivered() {
        return cancels.isEmpty();
    }

    /** While down, results are answered 503 (as a proxy in front of a restarting parent would). */
    public void resultsDown(boolean down) {
        resultsDown.set(down);
    }

    /** While down, events are answered 503 as well. */
    public void eventsDown(boolean down) {
        eventsDown.set(down);
    }

    public List<JsonNode> resultsFor(String taskId) {
        return results.stream().filter(result -> taskId.equals(result.path("task_id").asText())).toList();
    }

    public List<JsonNode> eventsFor(String taskId) {
        return events.stream().filter(event -> taskId.equals(event.path("target_task_id").asText())).toList();
    }

    /** The place of a result or event (one of this parent's own) among everything taken; -1 if not taken. */
    public int arrivalOf(JsonNode message) {
        for (int i = 0; i < taken.size(); i++) {
            if (taken.get(i) == message) {
                return i;
            }
        }
        return -1;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String sender = exchange.getRequestHeaders().getFirst(Protocol.HEADER_WORKER_ID);
            if (!token.equals(exchange.getRequestHeaders().getFirst(Protocol.HEADER_WORKER_TOKEN))) {
                respond(exchange, 403, Map.of("error", "Invalid worker token"));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.endsWith("/tasks/next")) {
                poll(exchange);
                return;
            }
            if (path.equals(Protocol.PATH_BLOB_UPLOAD_URLS)) {
                Function<JsonNode, Map<String, Object>> answer = blobUploadUrls;
                if (answer == null) {
                    respond(exchange, 404, Map.of("error", "Not found"));
                } else {
                    respond(exchange, 200, answer.apply(Json.tree(body)));
                }
                return;
            }
            JsonNode message = body.length == 0 ? null : Json.tree(body);
            if (message != null && !verified(message, sender, path.endsWith("/events"))) {
                respond(exchange, 403, Map.of("error", "Invalid message signature"));
                return;
            }
            if (path.equals(Protocol.PATH_REGISTER)) {
                registrations.add(message);
                respond(exchange, 200, Map.of("status", "registered", "version", Protocol.VERSION));
            } else if (path.equals(Protocol.PATH_RESULT)) {
                if (resultsDown.get()) {
                    respond(exchange, 503, Map.of("error", "Service is initializing"));
                    return;
                }
                results.add(message);
                taken.add(message);
                respond(exchange, 200, Map.of("status", "accepted", "transition", "success_transition"));
            } else if (path.equals(Protocol.PATH_EVENTS)) {
                if (eventsDown.get()) {
                    respond(exchange, 503, Map.of("error", "Service is initializing"));
                    return;
                }
                Json.convert(message, WorkerEventPayload.class);
                events.add(message);
                taken.add(message);
                respond(exchange, 200, Map.of("status", "event_accepted"));
            } else if (method.equals("PATCH")) {
                heartbeats.add(message);
                List<String> cancelled = new ArrayList<>(cancels);
                cancels.removeAll(cancelled);
                respond(exchange, 200, cancelled.isEmpty() ? Map.of("status", "ok")
                        : Map.of("status", "ok", "cancel_task_ids", cancelled));
            } else {
                respond(exchange, 404, Map.of("error", "Not found"));
            }
        } catch (RuntimeException e) {
            refused.add(e.toString());
        }
    }

    private boolean verified(JsonNode message, String sender, boolean event) {
        try {
            gate.check(message, sender, new HmacSigner(token), event ? WorkerEventPayload.UNSIGNED_FIELDS : List.of());
            return true;
        } catch (RuntimeException e) {
            refused.add(e.getMessage());
            return false;
        }
    }

    /** The reference ignores the client's timeout and parks on the worker's queue; one second here. */
    private void poll(HttpExchange exchange) throws IOException {
        TaskPayload task;
        try {
            task = tasks.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task = null;
        }
        if (task == null) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        respond(exchange, 200, task);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.writeString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add(Protocol.HEADER_VERSION, Protocol.VERSION);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
