package io.rxon.common.transport;

import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.socket.InvalidFrameException;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.protocol.socket.SocketFrames;
import io.rxon.common.protocol.socket.WorkerFrame;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The worker socket ({@code /_worker/ws/{worker_id}}) on the JDK WebSocket client: connects with
 * the transport's identity headers, reassembles fragmented text frames, decodes them with
 * {@link SocketFrames} (skipping what it cannot parse), and reconnects with capped exponential
 * backoff that resets after each successful connect (PROTOCOL.md §4.5).
 */
final class WebSocketChannel implements SocketSession {

    private static final System.Logger LOG = System.getLogger(WebSocketChannel.class.getName());
    private static final int ABNORMAL_CLOSURE = 1006;
    private static final long ABORT_AFTER_CLOSE_MILLIS = 2_000;

    private final HttpClient client;
    private final URI uri;
    private final Supplier<Map<String, String>> handshakeHeaders;
    private final SocketListener listener;
    private final boolean reconnect;
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration ackTimeout;
    private final MessageStamper stamper;
    private final Consumer<WebSocketChannel> onTerminated;
    private final PendingAcks acks = new PendingAcks();
    private final PendingCredits credits = new PendingCredits();

    private final AtomicReference<Connection> current = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean terminated = new AtomicBoolean();

    /** Connection parameters that stay fixed for the channel's whole life. */
    record Settings(URI uri, Backoff backoff, Duration connectTimeout, Duration ackTimeout) {}

    WebSocketChannel(HttpClient client, Settings settings, Supplier<Map<String, String>> handshakeHeaders,
            SocketListener listener, boolean reconnect, MessageStamper stamper,
            Consumer<WebSocketChannel> onTerminated) {
        this.client = client;
        this.uri = settings.uri();
        this.backoff = settings.backoff();
        this.connectTimeout = settings.connectTimeout();
        this.ackTimeout = settings.ackTimeout();
        this.handshakeHeaders = handshakeHeaders;
        this.listener = listener;
        this.reconnect = reconnect;
        this.stamper = stamper;
        this.onTerminated = onTerminated;
    }

    void start() {
        attemptConnect();
    }

    @Override
    public boolean isOpen() {
        return !terminated.get() && current.get() != null;
    }

    @Override
    public CompletableFuture<Void> grantCredits(int slots) {
        String frame = SocketFrames.encode(new WorkerFrame.Credit(slots));
        if (!isOpen()) {
            return CompletableFuture.failedFuture(notConnected());
        }
        CompletableFuture<Void> ack = credits.await(slots, ackTimeout);
        send(frame).whenComplete((sent, error) -> {
            if (error != null) {
                credits.fail(ack, asNetworkFailure(error));
            }
        });
        return ack.copy();
    }

    @Override
    public CompletableFuture<Boolean> sendResult(TaskResult result) {
        TaskResult stamped = stamper.result(result);
        if (!isOpen()) {
            return CompletableFuture.failedFuture(notConnected());
        }
        CompletableFuture<Boolean> ack = acks.await(stamped.taskId(), ackTimeout);
        send(SocketFrames.encode(WorkerFrame.Result.of(stamped))).whenComplete((sent, error) -> {
            if (error != null) {
                acks.fail(stamped.taskId(), asNetworkFailure(error));
            }
        });
        return ack;
    }

    @Override
    public CompletableFuture<Void> sendEvent(WorkerEventPayload event) {
        return send(Json.writeString(stamper.event(event)));
    }

    @Override
    public void close() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        Connection connection = current.getAndSet(null);
        acks.failAll(new RxonNetworkException("Socket closed by the worker", null));
        credits.failAll(new RxonNetworkException("Socket closed by the worker", null));
        if (connection != null) {
            connection.close();
            notifyListener(() -> listener.onDisconnected(WebSocket.NORMAL_CLOSURE, "closed by the worker"));
        }
        onTerminated.accept(this);
    }

    private CompletableFuture<Void> send(String text) {
        Connection connection = current.get();
        if (connection == null || terminated.get()) {
            return CompletableFuture.failedFuture(notConnected());
        }
        return connection.send(text);
    }

    private void attemptConnect() {
        if (terminated.get()) {
            return;
        }
        try {
            WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
            handshakeHeaders.get().forEach(builder::header);
            builder.buildAsync(uri, new FrameListener()).whenComplete((socket, error) -> {
                if (error != null) {
                    connectFailed(error);
                }
            });
        } catch (RuntimeException e) {
            connectFailed(e);
        }
    }

    private void connected(Connection connection) {
        if (terminated.get()) {
            connection.close();
            return;
        }
        current.set(connection);
        failures.set(0);
        LOG.log(Level.INFO, "Socket connected to {0}", uri);
        notifyListener(() -> listener.onConnected(this));
    }

    private void connectFailed(Throwable error) {
        RxonException failure = connectFailure(unwrap(error));
        LOG.log(Level.WARNING, "Socket connection to {0} failed: {1}", uri, failure.getMessage());
        notifyListener(() -> listener.onConnectFailed(failure));
        retryOrTerminate();
    }

    private void lost(Connection connection, int statusCode, String reason) {
        if (connection == null || !current.compareAndSet(connection, null)) {
            return;
        }
        acks.failAll(new RxonNetworkException("Socket closed before the result was acknowledged", null));
        credits.failAll(new RxonNetworkException("Socket closed before the credit was acknowledged", null));
        LOG.log(Level.INFO, "Socket to {0} closed ({1}): {2}", uri, statusCode, reason);
        notifyListener(() -> listener.onDisconnected(statusCode, reason));
        retryOrTerminate();
    }

    private void retryOrTerminate() {
        if (!reconnect) {
            if (terminated.compareAndSet(false, true)) {
                onTerminated.accept(this);
            }
            return;
        }
        if (terminated.get()) {
            return;
        }
        Duration delay = backoff.delay(failures.getAndIncrement());
        LOG.log(Level.DEBUG, "Reconnecting socket in {0} ms", delay.toMillis());
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(this::attemptConnect);
    }

    private void dispatch(String text) {
        ServerFrame frame;
        try {
            frame = SocketFrames.decodeServerFrame(text);
        } catch (InvalidFrameException e) {
            LOG.log(Level.WARNING, "Skipping unparseable socket frame: {0}", e.getMessage());
            return;
        }
        if (frame instanceof ServerFrame.CancelTask cancel) {
            notifyListener(() -> listener.onCommand(cancel.toCommand()));
        } else if (frame instanceof ServerFrame.Command command) {
            notifyListener(() -> listener.onCommand(command.command()));
        } else if (frame instanceof ServerFrame.RunTask run) {
            notifyListener(() -> listener.onTask(run.task()));
        } else if (frame instanceof ServerFrame.CreditAck) {
            credits.completeOldest();
        } else if (frame instanceof ServerFrame.ResultAck ack) {
            acks.complete(ack);
            notifyListener(() -> listener.onResultAck(ack));
        } else if (frame instanceof ServerFrame.ServerError error) {
            LOG.log(Level.WARNING, "Orchestrator refused a socket frame: {0} ({1})", error.error(), error.code());
            if (error.taskId() != null) {
                acks.fail(error.taskId(), refusal(error));
            }
            notifyListener(() -> listener.onServerError(error));
        }
    }

    /** Mirrors the HTTP status mapping so callers handle a refusal the same way on both paths. */
    private static RxonException refusal(ServerFrame.ServerError error) {
        ErrorCode code = ErrorCode.fromWire(error.code());
        return switch (code) {
            case LIMIT_EXCEEDED_ERROR -> new RxonRateLimitException(error.error(), null, error.code());
            case SECURITY_ERROR -> new RxonAuthException(error.error(), 0);
            default -> new RxonProtocolException(error.error(), code, 0, null);
        };
    }

    private static RxonException connectFailure(Throwable error) {
        if (error instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String message = "Socket handshake refused with HTTP " + status;
            return status == 401 || status == 403
                    ? new RxonAuthException(message, status)
                    : new RxonProtocolException(message, status);
        }
        return new RxonNetworkException("Cannot open socket: " + error, error);
    }

    private static RxonNetworkException notConnected() {
        return new RxonNetworkException("Socket is not connected", null);
    }

    private static RxonNetworkException asNetworkFailure(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof RxonNetworkException network
                ? network
                : new RxonNetworkException("Socket send failed: " + cause, cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void notifyListener(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Socket listener failed", e);
        }
    }

    /** One open WebSocket; the JDK allows one outstanding text send, so sends are chained. */
    private static final class Connection {
        private final WebSocket socket;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Connection(WebSocket socket) {
            this.socket = socket;
        }

        synchronized CompletableFuture<Void> send(String text) {
            CompletableFuture<Void> next = tail.handle((ignored, error) -> (Void) null)
                    .thenCompose(ignored -> socket.sendText(text, true))
                    .thenApply(ignored -> (Void) null);
            tail = next;
            return next;
        }

        synchronized void close() {
            tail.handle((ignored, error) -> (Void) null)
                    .thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "worker closing"))
                    .whenComplete((ignored, error) -> CompletableFuture
                            .delayedExecutor(ABORT_AFTER_CLOSE_MILLIS, TimeUnit.MILLISECONDS)
                            .execute(socket::abort));
        }
    }

    /** Callbacks of one connection attempt; the JDK calls them one at a time. */
    private final class FrameListener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private Connection connection;

        @Override
        public void onOpen(WebSocket socket) {
            connection = new Connection(socket);
            socket.request(1);
            connected(connection);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                dispatch(frame);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            LOG.log(Level.WARNING, "Ignoring a binary socket frame: the protocol uses text frames");
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            lost(connection, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            lost(connection, ABNORMAL_CLOSURE, String.valueOf(error));
        }
    }
}
