package io.rxon.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.protocol.socket.SocketFrames;
import io.rxon.common.protocol.socket.WorkerFrame;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.ZeroTrustGate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An orchestrator on 127.0.0.1 that behaves like the Python reference (PROTOCOL.md §4): register,
 * long-poll {@code tasks/next}, result, heartbeat and events over HTTP, every message through the
 * zero-trust gate (mandatory timestamp, HMAC signature with the worker token), and a socket that
 * only pushes commands and treats every text frame it receives as a worker event. It records
 * everything, so a test can show what a worker sent. The other {@link Mode}s play an rxon-java
 * orchestrator that consents to push dispatch at registration and then goes silent: on credits, or
 * only on results (stuck, or not really speaking the extension).
 */
public final class ReferenceOrchestrator implements AutoCloseable {

    /** The reference server blocks a poll at most this long, whatever the worker asks for. */
    private static final double SERVER_POLL_SECONDS = 30;

    /** How the server treats push dispatch. */
    public enum Mode {
        /** The Python reference: never consents, treats every frame as an event. */
        REFERENCE,
        /** Consents at registration, then answers no {@code credit} (and pushes nothing). */
        SILENT_ON_CREDITS,
        /** Consents, answers credits and pushes tasks against them, but answers no {@code result} frame. */
        SILENT_ON_RESULTS
    }

    /** A socket frame as received, and why it is not a valid reference event (null when it is). */
    public record Frame(String text, String problem) {
        public boolean isReferenceEvent() {
            return problem == null;
        }
    }

    /** A message that reached an HTTP endpoint, with the server's clock at arrival. */
    public record Call(String endpoint, JsonNode body, long atMillis) {}

    private final Vertx vertx;
    private final HttpServer server;
    private final String workerToken;
    private final Mode mode;
    private final ZeroTrustGate gate = new ZeroTrustGate(Clock.systemUTC());
    private final Object lock = new Object();
    private final Deque<ObjectNode> tasks = new ArrayDeque<>();
    private final Deque<HttpServerRequest> parkedPolls = new ArrayDeque<>();
    private final Map<String, Long> queuedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> latencies = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final AtomicInteger sockets = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private ServerWebSocket pushSocket;
    private int credits;

    private ReferenceOrchestrator(Vertx vertx, String workerToken, Mode mode) throws Exception {
        this.vertx = vertx;
        this.workerToken = workerToken;
        this.mode = mode;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static ReferenceOrchestrator start(Vertx vertx, String workerToken, Mode mode) throws Exception {
        return new ReferenceOrchestrator(vertx, workerToken, mode);
    }

    /** The URL a worker is given: {@code ws://}, the scheme that turns the worker's socket and push on. */
    public String socketUrl() {
        return "ws://127.0.0.1:" + server.actualPort();
    }

    /** Pushes a task against a credit, or hands it to a waiting long-poll, or queues it for the next one. */
    public void enqueue(String jobId, String taskId, String type, Map<String, Object> params) {
        ObjectNode task = (ObjectNode) Json.tree(TaskPayload.of(jobId, taskId, type, params));
        task.put("timestamp", System.currentTimeMillis() / 1000);
        queuedAt.put(taskId, System.currentTimeMillis());
        HttpServerRequest poll;
        synchronized (lock) {
            tasks.addLast(task);
            pushWhileCredited();
            poll = tasks.isEmpty() ? null : parkedPolls.pollFirst();
            if (poll != null) {
                task = tasks.pollFirst();
            }
        }
        if (poll != null) {
            answerPoll(poll, task);
        }
    }

    public List<Call> calls(String endpoint) {
        return calls.stream().filter(call -> call.endpoint().equals(endpoint)).toList();
    }

    /** Socket frames received, in order. */
    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Messages the zero-trust gate (or the endpoint) refused, with the reason. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Milliseconds from queueing each task to its accepted result, by task id. */
    public Map<String, Long> latencies() {
        return Map.copyOf(latencies);
    }

    public int socketsOpened() {
        return sockets.get();
    }

    public int pollsReceived() {
        return polls.get();
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith(Protocol.WORKER_PREFIX + "/ws/")) {
            request.toWebSocket().onSuccess(this::socketOpened);
            return;
        }
        if (request.method() == HttpMethod.GET && path.endsWith("/tasks/next")) {
            poll(request);
            return;
        }
        request.body().onSuccess(body -> {
            if (request.method() == HttpMethod.POST && path.equals(Protocol.PATH_REGISTER)) {
                message(request, "register", body, List.of(), this::registered);
            } else if (request.method() == HttpMethod.POST && path.equals(Protocol.PATH_RESULT)) {
                message(request, "result", body, List.of(), this::resultAccepted);
            } else if (request.method() == HttpMethod.POST && path.equals(Protocol.PATH_EVENTS)) {
                message(request, "event", body, WorkerEventPayload.UNSIGNED_FIELDS,
                        json -> Map.of("status", "event_accepted"));
            } else if (request.method() == HttpMethod.PATCH && path.startsWith(Protocol.WORKER_PREFIX + "/workers/")) {
                message(request, "heartbeat", body, List.of(), json -> Map.of("status", "ok"));
            } else {
                refusals.add("unknown endpoint " + request.method() + " " + path);
                json(request.response().setStatusCode(404), Map.of("error", "Not found"));
            }
        });
    }

    private interface Endpoint {
        Map<String, Object> answer(JsonNode body);
    }

    private void message(HttpServerRequest request, String endpoint, Buffer body, List<String> unsigned,
            Endpoint handler) {
        JsonNode json;
        try {
            json = Json.tree(body.getBytes());
            gate.check(json, request.getHeader(Protocol.HEADER_WORKER_ID), new HmacSigner(workerToken), unsigned);
        } catch (RuntimeException e) {
            refusals.add(endpoint + ": " + e.getMessage());
            json(request.response().setStatusCode(403), Map.of("error", String.valueOf(e.getMessage())));
            return;
        }
        calls.add(new Call(endpoint, json, System.currentTimeMillis()));
        json(request.response(), handler.answer(json));
    }

    private Map<String, Object> registered(JsonNode registration) {
        boolean asked = registration.at("/capabilities/extra/" + Protocol.EXTRA_PUSH_DISPATCH).booleanValue();
        return mode != Mode.REFERENCE && asked
                ? Map.of("status", "registered", "version", "1.0b14", Protocol.EXTRA_PUSH_DISPATCH, true)
                : Map.of("status", "registered", "version", "1.0b14");
    }

    private Map<String, Object> resultAccepted(JsonNode result) {
        Long queued = queuedAt.get(result.path("task_id").asText());
        if (queued != null) {
            latencies.putIfAbsent(result.path("task_id").asText(), System.currentTimeMillis() - queued);
        }
        return Map.of("status", "accepted", "transition", "success_transition");
    }

    /** Answers at once when a task is queued, else parks the poll until one comes or the window ends (204). */
    private void poll(HttpServerRequest request) {
        polls.incrementAndGet();
        double asked = parseSeconds(request.getParam("timeout"));
        long window = (long) (Math.min(asked, SERVER_POLL_SECONDS) * 1000);
        ObjectNode task;
        synchronized (lock) {
            task = tasks.pollFirst();
            if (task == null) {
                parkedPolls.addLast(request);
            }
        }
        if (task != null) {
            answerPoll(request, task);
            return;
        }
        request.connection().closeHandler(ignored -> {
            synchronized (lock) {
                parkedPolls.remove(request);
            }
        });
        vertx.setTimer(Math.max(1, window), id -> {
            boolean stillParked;
            synchronized (lock) {
                stillParked = parkedPolls.remove(request);
            }
            if (stillParked) {
                request.response().setStatusCode(204).end();
            }
        });
    }

    private void answerPoll(HttpServerRequest request, ObjectNode task) {
        vertx.runOnContext(ignored -> json(request.response(), task));
    }

    private void socketOpened(ServerWebSocket socket) {
        sockets.incrementAndGet();
        String workerId = socket.path().substring(socket.path().lastIndexOf('/') + 1);
        synchronized (lock) {
            pushSocket = socket;
            credits = 0;
        }
        socket.textMessageHandler(text -> {
            frames.add(new Frame(text, notAReferenceEvent(text, workerId)));
            if (mode == Mode.SILENT_ON_RESULTS) {
                answerCredit(socket, text);
            }
        });
        socket.binaryMessageHandler(data -> frames.add(new Frame("<binary>", "a binary frame")));
        socket.closeHandler(ignored -> {
            synchronized (lock) {
                if (pushSocket == socket) {
                    pushSocket = null;
                    credits = 0;
                }
            }
        });
    }

    private void answerCredit(ServerWebSocket socket, String text) {
        WorkerFrame frame = SocketFrames.decodeWorkerFrame(text);
        if (frame instanceof WorkerFrame.Credit credit) {
            socket.writeTextMessage(SocketFrames.encode(new ServerFrame.CreditAck(credit.slots())));
            synchronized (lock) {
                if (socket == pushSocket) {
                    credits += credit.slots();
                    pushWhileCredited();
                }
            }
        }
    }

    /** Under {@code lock}: queued tasks go down the push socket while it holds credits. */
    private void pushWhileCredited() {
        while (mode == Mode.SILENT_ON_RESULTS && pushSocket != null && credits > 0 && !tasks.isEmpty()) {
            credits--;
            TaskPayload task = Json.convert(tasks.pollFirst(), TaskPayload.class);
            pushSocket.writeTextMessage(SocketFrames.encode(new ServerFrame.RunTask(task)));
        }
    }

    /** What the reference does with a frame (it is an event, or it is logged as broken): null when it is an event. */
    private String notAReferenceEvent(String text, String workerId) {
        try {
            JsonNode json = Json.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (json.has("frame") || json.has("command")) {
                return "an extension frame";
            }
            Json.convert(json, WorkerEventPayload.class);
            gate.check(json, workerId, new HmacSigner(workerToken), WorkerEventPayload.UNSIGNED_FIELDS);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static double parseSeconds(String value) {
        try {
            return value == null ? SERVER_POLL_SECONDS : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return SERVER_POLL_SECONDS;
        }
    }

    private static void json(HttpServerResponse response, Object body) {
        response.putHeader("Content-Type", "application/json").putHeader(Protocol.HEADER_VERSION, "1.0b14")
                .end(Json.writeString(body));
    }
}
