package io.rxon.common.transport;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An orchestrator socket endpoint on 127.0.0.1 (Vert.x): records handshakes and every text
 * message a worker sends, answers plain HTTP requests (the event fallback) with
 * {@code event_accepted}, and can refuse a number of handshakes first.
 */
final class StubSocketServer implements AutoCloseable {

    /** A worker connection with the handshake headers it arrived with. */
    record Connection(ServerWebSocket socket, String path, MultiMap headers) {}

    /** A plain HTTP request that reached the server. */
    record HttpCall(String method, String path, String body) {}

    final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<HttpCall> httpCalls = new LinkedBlockingQueue<>();
    private final AtomicInteger handshakesToRefuse = new AtomicInteger();
    private volatile int refusalStatus = 403;
    private final HttpServer server;

    private StubSocketServer(Vertx vertx) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static StubSocketServer start(Vertx vertx) throws Exception {
        return new StubSocketServer(vertx);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Refuses the next {@code count} handshakes with {@code status} before accepting again. */
    void refuseHandshakes(int count, int status) {
        refusalStatus = status;
        handshakesToRefuse.set(count);
    }

    private void handle(HttpServerRequest request) {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            request.body().onSuccess(body -> {
                httpCalls.add(new HttpCall(request.method().name(), request.path(), body.toString()));
                request.response().putHeader("Content-Type", "application/json")
                        .end("{\"status\":\"event_accepted\"}");
            });
            return;
        }
        if (handshakesToRefuse.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            request.response().setStatusCode(refusalStatus).end("refused");
            return;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        request.toWebSocket().onSuccess(socket -> {
            socket.textMessageHandler(messages::add);
            connections.add(new Connection(socket, request.path(), headers));
        });
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
