package io.rxon.common.transport;

import static io.rxon.common.transport.JsonReplies.decode;
import static io.rxon.common.transport.JsonReplies.isFalsy;
import static io.rxon.common.transport.JsonReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Identifiers;
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

/**
 * The reference transport (PROTOCOL.md §4): every worker call is an HTTP(S) request to the
 * orchestrator's {@code /_worker} API on one shared JDK {@link HttpClient}, plus the optional
 * socket channel on the same client ({@link SocketChannels}). Messages are timestamped and signed
 * before they leave; statuses map to the {@link RxonException} hierarchy exactly as the Python
 * client does; tokens are renewed by {@link TokenRenewal}.
 */
public final class HttpTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());
    /** The HTTP timeout of a long-poll exceeds the poll window so the server answers first. */
    private static final Duration POLL_GRACE = Duration.ofSeconds(5);

    private final String baseUrl;
    private final String workerId;
    private final TransportOptions options;
    private final boolean socketPreferred;
    private final MessageStamper stamper;
    private final HttpExchange exchange;
    private final TokenRenewal renewal;
    private final ResultRetry resultRetry;
    private final SocketChannels sockets;
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
        TokenState tokens = new TokenState(options.credentials());
        this.stamper = new MessageStamper(options.clock(), options.signing());
        HttpClient client = options.httpClient() != null ? options.httpClient() : HttpExchange.newClient(options);
        this.exchange = new HttpExchange(client, this.baseUrl, this.workerId, tokens,
                new ResponseInterpreter(options.clock(), new VersionCheck()));
        this.renewal = new TokenRenewal(exchange, tokens, this.workerId, options.requestTimeout());
        this.resultRetry = new ResultRetry(options.resultRetries(), options.resultRetryDelay());
        this.sockets = new SocketChannels(client, stamper,
                () -> HttpExchange.identityHeaders(this.workerId, tokens.current()));
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
        sockets.closeAll();
    }

    @Override
    public RegistrationResponse register(WorkerRegistration registration) {
        WorkerRegistration stamped = stamper.registration(registration);
        Optional<JsonNode> body = post(Protocol.PATH_REGISTER, Json.write(stamped));
        String warning = body.map(node -> text(node, "warning")).orElse(null);
        if (warning != null) {
            LOG.log(Level.WARNING, "Orchestrator warned at registration: {0}", warning);
        }
        TokenResponse token = body.flatMap(renewal::adoptIssued).orElse(null);
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
        return SoftRefusals.resultTaken(reply, stamped.taskId());
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
        if (sockets.trySend(stamped, requestTimeout())) {
            return true;
        }
        return SoftRefusals.eventTaken(post(Protocol.PATH_EVENTS, Json.write(stamped)), stamped.eventId());
    }

    /**
     * PROTOCOL.md §5.3: the refresh endpoint when a refresh token is held, else the issue
     * endpoint; a 200 answer is adopted. Never throws: a failed refresh leaves the token as it was.
     */
    @Override
    public Optional<TokenResponse> refreshToken() {
        return renewal.refresh();
    }

    @Override
    public SocketSession openSocket(SocketListener listener, boolean reconnect) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        return sockets.open(new WebSocketChannel.Settings(socketUri(), options.socketBackoff(),
                options.connectTimeout(), options.socketAckTimeout()), listener, reconnect);
    }

    URI socketUri() {
        return URI.create(baseUrl.replaceFirst("^http", "ws") + Protocol.socketPath(workerId));
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
        return exchange.send(call, renewal::reauthenticate);
    }

    private Duration requestTimeout() {
        return options.requestTimeout();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("transport to " + baseUrl + " is closed");
        }
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
}
