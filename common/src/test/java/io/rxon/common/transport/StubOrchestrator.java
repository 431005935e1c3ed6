package io.rxon.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted orchestrator worker API on 127.0.0.1 for transport tests: replies are queued per
 * {@code METHOD path}, and every request is recorded for the test to take and inspect.
 */
final class StubOrchestrator implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, String query, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.tree(body);
        }
    }

    /** A scripted answer; {@code dropConnection} closes the connection without answering. */
    record Reply(int status, Map<String, String> headers, String body, boolean dropConnection) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, false);
        }

        static Reply ok(String body) {
            return json(200, body);
        }

        static Reply noContent() {
            return new Reply(204, Map.of(), null, false);
        }

        static Reply text(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "text/plain"), body, false);
        }

        static Reply drop() {
            return new Reply(0, Map.of(), null, true);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, dropConnection);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Map<String, Deque<Reply>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Reply> standing = new ConcurrentHashMap<>();
    private volatile String version = Protocol.VERSION;

    private StubOrchestrator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static StubOrchestrator start() {
        try {
            return new StubOrchestrator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next requests to {@code METHOD path} with these replies, in order. */
    StubOrchestrator reply(String method, String path, Reply... replies) {
        Deque<Reply> queue = scripted.computeIfAbsent(method + " " + path, key -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(replies));
        }
        return this;
    }

    /** Answers every request to {@code METHOD path} without a scripted reply with this one. */
    StubOrchestrator always(String method, String path, Reply reply) {
        standing.put(method + " " + path, reply);
        return this;
    }

    /** The {@code X-RXON-Version} every response carries. */
    void announceVersion(String announced) {
        version = announced;
    }

    Request take() {
        try {
            Request request = requests.poll(5, TimeUnit.SECONDS);
            assertThat(request).as("a request reached the stub orchestrator").isNotNull();
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int pendingRequests() {
        return requests.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                exchange.getRequestBody().readAllBytes()));
        Reply reply = next(method + " " + path);
        if (reply.dropConnection()) {
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add(Protocol.HEADER_VERSION, version);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Reply next(String route) {
        Deque<Reply> queue = scripted.get(route);
        if (queue != null) {
            synchronized (queue) {
                if (!queue.isEmpty()) {
                    return queue.pollFirst();
                }
            }
        }
        return standing.getOrDefault(route, Reply.json(404, "{\"error\":\"no stub for " + route + "\"}"));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
