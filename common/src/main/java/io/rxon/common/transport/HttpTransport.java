package io.rxon.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The reference transport (PROTOCOL.md §4): every worker call is an HTTP(S) request to the
 * orchestrator's {@code /_worker} API on one shared JDK {@link HttpClient}, plus the optional
 * socket channel on the same client. Messages are timestamped and signed before they leave;
 * statuses map to the {@link RxonException} hierarchy exactly as the Python client does.
 */
public final class HttpTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());
    /** The HTTP timeout of a long-poll exceeds the poll window so the server answers first. */
    private static final Duration POLL_GRACE = Duration.ofSeconds(5);
    private static final String STATUS_IGNORED = "ignored";
    private static final String STATUS_ERROR = "error";
    private static final Set<String> ROUTINE_IGNORE_REASONS = Set.of(IgnoredReason.DEADLINE_EXCEEDED.wire(),
            IgnoredReason.JOB_CANCELLED.wire(), IgnoredReason.DUPLICATE.wire());

    private final String baseUrl;
    private final String workerId;
    private final TransportOptions options;
    private final boolean socketPreferred;
    private final TokenState tokens;
    private final MessageStamper stamper;
    private final HttpClient client;
    private final HttpExchange exchange;
    private final ResultRetry resultRetry;
    private final Set<WebSocketChannel> sockets = new CopyOnWriteArraySet<>();
    private volatile boolean closed;

    /**
     * @param baseUrl {@code http://} or {@code https://} URL of the orchestrator; trailing slashes are ignored
     * @param workerId a valid RXON identifier (it becomes part of request paths)
     */
    public HttpTransport(String baseUrl, String workerId, TransportOptions options) {
        this(baseUrl, workerId, options, false);
    }

    HttpTransport(String baseUrl, String workerId, TransportOptions options, boolean socketPreferred) {
        this.baseUrl = normalise(baseUrl);
        this.workerId = Identifiers.require(workerId, "worker_id");
        this.options = Objects.requireNonNull(options, "options");
        this.socketPreferred = socketPreferred;
        this.tokens = new TokenState(options.credentials());
        this.stamper = new MessageStamper(options.clock(), options.signing());
        this.client = options.httpClient() != null ? options.httpClient() : newClient(options);
        this.exchange = new HttpExchange(client, this.baseUrl, this.workerId, tokens,
                new ResponseInterpreter(options.clock(), new VersionCheck()));
        this.resultRetry = new ResultRetry(options.resultRetries(), options.resultRetryDelay());
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public boolean socketPreferred() {
        return socketPreferred;
    }

    /** HTTP needs no session up front: the shared client connects (and keeps connections) on demand. */
    @Override
    public void connect() {
        ensureOpen();
    }

    @Override
    public void close() {
        closed = true;
        sockets.forEach(WebSocketChannel::close);
    }

    @Override
    public RegistrationResponse register(WorkerRegistration registration) {
        WorkerRegistration stamped = stamper.registration(registration);
        Optional<JsonNode> body = post(Protocol.PATH_REGISTER, Json.write(stamped));
        String warning = body.map(node -> text(node, "warning")).orElse(null);
        if (warning != null) {
            LOG.log(Level.WARNING, "Orchestrator warned at registration: {0}", warning);
        }
        TokenResponse token = body.flatMap(this::issuedToken).orElse(null);
        if (token != null) {
            tokens.adopt(token);
            LOG.log(Level.INFO, "Adopted the access token issued at registration");
        }
        boolean push = body.map(node -> node.path(Protocol.EXTRA_PUSH_DISPATCH).booleanValue()).orElse(false);
        return new RegistrationResponse(body.map(node -> text(node, "status")).orElse(null),
                body.map(node -> text(node, "version")).orElse(null), warning, token, push);
    }

    @Override
    public Optional<TaskPayload> pollTask(Duration timeout, List<String> availableSkills, List<String> hotSkills) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("poll timeout must not be negative, got " + timeout);
        }
        String path = Protocol.pollPath(workerId) + PollQuery.of(timeout, availableSkills, hotSkills);
        Optional<JsonNode> body = send(new HttpExchange.Call("GET", path, null, timeout.plus(POLL_GRACE)));
        return body.filter(node -> !isFalsy(node)).map(node -> decode(node, TaskPayload.class, "poll response"));
    }

    @Override
    public boolean sendResult(TaskResult result) {
        TaskResult stamped = stamper.result(result);
        byte[] body = Json.write(stamped);
        Optional<JsonNode> reply = resultRetry.run("Result submission for task " + stamped.taskId(),
                () -> post(Protocol.PATH_RESULT, body));
        if (reply.map(node -> STATUS_IGNORED.equals(text(node, "status"))).orElse(false)) {
            String reason = text(reply.get(), "reason");
            LOG.log(ROUTINE_IGNORE_REASONS.contains(reason) ? Level.INFO : Level.WARNING,
                    "Orchestrator ignored the result of task {0}: {1}", stamped.taskId(), reason);
            return false;
        }
        return true;
    }

    @Override
    public Optional<HeartbeatResponse> sendHeartbeat(Heartbeat heartbeat) {
        byte[] body = Json.write(stamper.heartbeat(heartbeat));
        Optional<JsonNode> reply =
                send(new HttpExchange.Call("PATCH", Protocol.heartbeatPath(workerId), body, requestTimeout()));
        return reply.map(node -> decode(node, HeartbeatResponse.class, "heartbeat response"));
    }

    @Override
    public boolean emitEvent(WorkerEventPayload event) {
        WorkerEventPayload stamped = stamper.event(event);
        Optional<WebSocketChannel> socket = sockets.stream().filter(WebSocketChannel::isOpen).findFirst();
        if (socket.isPresent() && sentOverSocket(socket.get(), stamped)) {
            return true;
        }
        Optional<JsonNode> reply = post(Protocol.PATH_EVENTS, Json.write(stamped));
        if (reply.map(node -> STATUS_ERROR.equals(text(node, "status"))).orElse(false)) {
            LOG.log(Level.WARNING, "Orchestrator refused event {0} ({1}): {2}", stamped.eventId(),
                    text(reply.get(), "code"), text(reply.get(), "message"));
            return false;
        }
        if (reply.map(node -> STATUS_IGNORED.equals(text(node, "status"))).orElse(false)) {
            LOG.log(Level.INFO, "Orchestrator ignored event {0}: {1}", stamped.eventId(), text(reply.get(), "reason"));
            return false;
        }
        return true;
    }

    /**
     * PROTOCOL.md §5.3: the refresh endpoint when a refresh token is held, else the issue
     * endpoint; a 200 answer is adopted. Never throws: a failed refresh leaves the token as it was.
     */
    @Override
    public synchronized Optional<TokenResponse> refreshToken() {
        Optional<String> refresh = tokens.refreshToken();
        try {
            HttpExchange.Call call = refresh
                    .map(value -> new HttpExchange.Call("POST", Protocol.PATH_TOKEN_REFRESH,
                            Json.write(Map.of("refresh_token", value)), requestTimeout()))
                    .orElseGet(() -> new HttpExchange.Call("POST", Protocol.PATH_TOKEN, null, requestTimeout()));
            Optional<TokenResponse> token = exchange.send(call, null)
                    .map(node -> decode(node, TokenResponse.class, "token response"));
            token.ifPresent(tokens::adopt);
            LOG.log(Level.INFO, token.isPresent() ? "Worker token refreshed" : "Token service answered no token");
            return token;
        } catch (RxonException e) {
            LOG.log(Level.WARNING, "Token refresh failed: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public SocketSession openSocket(SocketListener listener, boolean reconnect) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        WebSocketChannel.Settings settings = new WebSocketChannel.Settings(socketUri(), options.socketBackoff(),
                options.connectTimeout(), options.socketAckTimeout());
        WebSocketChannel channel = new WebSocketChannel(client, settings,
                () -> HttpExchange.identityHeaders(workerId, tokens.current()), listener, reconnect, stamper,
                sockets::remove);
        sockets.add(channel);
        channel.start();
        return channel;
    }

    URI socketUri() {
        return URI.create(baseUrl.replaceFirst("^http", "ws") + Protocol.socketPath(workerId));
    }

    private boolean sentOverSocket(WebSocketChannel socket, WorkerEventPayload event) {
        try {
            socket.sendEvent(event).get(requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.INFO, "Event {0} could not go over the socket, posting it: {1}", event.eventId(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonNetworkException("Interrupted while sending event " + event.eventId(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> postExtension(String path, Map<String, Object> body) {
        return post(path, Json.write(body)).map(node -> (Map<String, Object>) Json.convert(node, Map.class))
                .orElse(Map.of());
    }

    private Optional<JsonNode> post(String path, byte[] body) {
        return send(new HttpExchange.Call("POST", path, body, requestTimeout()));
    }

    private Optional<JsonNode> send(HttpExchange.Call call) {
        ensureOpen();
        return exchange.send(call, this::reauthenticate);
    }

    /** After a 401: the credentials' own refresh (e.g. OIDC) first, else the orchestrator's token service. */
    private Optional<String> reauthenticate() {
        Optional<String> external;
        try {
            external = tokens.credentials().refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Credentials refresh failed: {0}", e.getMessage());
            external = Optional.empty();
        }
        return external.isPresent() ? external : refreshToken().map(TokenResponse::accessToken);
    }

    private Optional<TokenResponse> issuedToken(JsonNode body) {
        String accessToken = text(body, "access_token");
        if (accessToken == null) {
            return Optional.empty();
        }
        String owner = Optional.ofNullable(text(body, "worker_id")).orElse(workerId);
        return Optional.of(new TokenResponse(accessToken, body.path("expires_in").asLong(0), owner,
                text(body, "refresh_token"), null));
    }

    private Duration requestTimeout() {
        return options.requestTimeout();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("transport to " + baseUrl + " is closed");
        }
    }

    private static <T> T decode(JsonNode node, Class<T> type, String what) {
        if (!node.isObject()) {
            throw new RxonProtocolException("Unexpected " + what + ": not a JSON object", 200);
        }
        try {
            return Json.convert(node, type);
        } catch (IllegalArgumentException e) {
            throw new RxonProtocolException("Invalid " + what + ": " + e.getMessage(), ErrorCode.TRANSIENT_ERROR,
                    200, e);
        }
    }

    /** The reference client treats any falsy JSON ({@code {}}, {@code []}, {@code false}, ...) as "no task". */
    private static boolean isFalsy(JsonNode node) {
        if (node.isContainerNode()) {
            return node.isEmpty();
        }
        if (node.isBoolean()) {
            return !node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() == 0;
        }
        return node.isTextual() && node.textValue().isEmpty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String normalise(String url) {
        Objects.requireNonNull(url, "baseUrl");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("HttpTransport needs an http:// or https:// URL, got: " + url);
        }
        String stripped = url.replaceAll("/+$", "");
        URI.create(stripped);
        return stripped;
    }

    private static HttpClient newClient(TransportOptions options) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout());
        if (options.sslContext() != null) {
            builder.sslContext(options.sslContext());
        }
        return builder.build();
    }
}
