package io.rxon.common.transport;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's side of the wire (PROTOCOL.md §10): every call a worker makes to its orchestrator,
 * independent of how it travels, so that worker logic runs unchanged over HTTP or the in-memory
 * {@code MockTransport} of rxon-common's test-jar. Calls block; failures are unchecked
 * {@link io.rxon.common.error.RxonException}s (network, auth, rate limit, protocol), never null
 * returns. Obtain one from {@link Transports#create}.
 */
public interface Transport extends AutoCloseable {

    String workerId();

    /** Prepares the transport for use; idempotent. */
    void connect();

    /** Closes open sockets and releases what the transport owns; idempotent. */
    @Override
    void close();

    /** Registers (or re-registers) the worker; adopts a token pair if the answer carries one. */
    RegistrationResponse register(WorkerRegistration registration);

    /**
     * Long-polls for the next task.
     *
     * @param availableSkills skills startable now; null leaves the parameter out
     * @param hotSkills skills already warm; null leaves the parameter out
     * @return empty when no task arrived within the server's poll window
     */
    Optional<TaskPayload> pollTask(Duration timeout, List<String> availableSkills, List<String> hotSkills);

    /** Submits a result; false when the orchestrator ignored it (late, cancelled, duplicate...). */
    boolean sendResult(TaskResult result);

    /** Sends a heartbeat; empty when the orchestrator answered JSON {@code null} (unknown worker). */
    Optional<HeartbeatResponse> sendHeartbeat(Heartbeat heartbeat);

    /**
     * Emits an event, over the socket when one is open, else over HTTP; false when the orchestrator
     * refused its content ({@code "status": "error"}) or ignored it ({@code "status": "ignored"}, e.g.
     * a duplicate event id).
     */
    boolean emitEvent(WorkerEventPayload event);

    /** Obtains and adopts a new token from the orchestrator's token service; empty on any failure. */
    Optional<TokenResponse> refreshToken();

    /**
     * Opens the socket channel ({@code /_worker/ws/{worker_id}}) for commands and, with push
     * dispatch, tasks and result acknowledgements. Returns at once; the listener hears when the
     * connection is up.
     *
     * @param reconnect keep reconnecting with backoff when the connection drops or cannot be made;
     *     false makes a single attempt
     */
    SocketSession openSocket(SocketListener listener, boolean reconnect);

    /** Whether the worker asked for the socket channel by its URL scheme ({@code ws://}, {@code wss://}). */
    /**
     * POSTs a JSON body to an rxon-java extension endpoint of the orchestrator (e.g.
     * {@link io.rxon.common.protocol.Protocol#PATH_BLOB_UPLOAD_URLS}), authenticated as every request;
     * its JSON answer. A reference orchestrator answers 404 ({@link io.rxon.common.error.RxonException}).
     */
    default Map<String, Object> postExtension(String path, Map<String, Object> body) {
        throw new UnsupportedOperationException("this transport speaks only the reference protocol");
    }

    default boolean socketPreferred() {
        return false;
    }
}
