package io.rxon.common.transport;

import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.socket.ServerFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory orchestrator behind the {@link Transport} interface ({@code mock://...}), so worker
 * logic can be tested without a network: tests push tasks and commands in, and read back what the
 * worker registered, reported and emitted. Sockets behave like the real channel, push dispatch
 * included: a pushed task goes to a socket holding a credit, else waits for a poll. Thread-safe.
 */
public final class MockTransport implements Transport {

    /** The access token every {@link #refreshToken()} hands out. */
    public static final String REFRESHED_TOKEN = "refreshed-mock-token";

    private final String workerId;
    private final Object lock = new Object();
    private final Deque<TaskPayload> tasks = new ArrayDeque<>();
    private final List<WorkerCommand> undeliveredCommands = new ArrayList<>();
    private final List<MockSocket> sockets = new ArrayList<>();
    private final Deque<Optional<HeartbeatResponse>> queuedHeartbeatResponses = new ArrayDeque<>();
    private final List<WorkerRegistration> registrations = new CopyOnWriteArrayList<>();
    private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final List<TaskResult> results = new CopyOnWriteArrayList<>();
    private final List<WorkerEventPayload> events = new CopyOnWriteArrayList<>();
    private Optional<HeartbeatResponse> heartbeatResponse = Optional.of(HeartbeatResponse.ok());
    private boolean ignoreResults;
    private boolean pushSupported = true;
    private boolean connected;
    private volatile String token;

    public MockTransport(String workerId, String token) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.token = token;
    }

    /** Hands a task to a socket that holds a credit, else queues it for {@link #pollTask}. */
    public void pushTask(TaskPayload task) {
        Objects.requireNonNull(task, "task");
        MockSocket target;
        synchronized (lock) {
            target = sockets.stream().filter(socket -> socket.credits > 0).findFirst().orElse(null);
            if (target == null) {
                tasks.addLast(task);
                lock.notifyAll();
                return;
            }
            target.credits--;
        }
        target.listener.onTask(task);
    }

    /** Delivers a command to every open socket, or keeps it for the next socket opened. */
    public void pushCommand(WorkerCommand command) {
        Objects.requireNonNull(command, "command");
        List<MockSocket> targets;
        synchronized (lock) {
            targets = List.copyOf(sockets);
            if (targets.isEmpty()) {
                undeliveredCommands.add(command);
                return;
            }
        }
        targets.forEach(socket -> socket.listener.onCommand(command));
    }

    /** The answer to every later heartbeat; null answers JSON {@code null} (an unknown worker). */
    public void setHeartbeatResponse(HeartbeatResponse response) {
        synchronized (lock) {
            heartbeatResponse = Optional.ofNullable(response);
        }
    }

    /** The answer to the next heartbeat only, before falling back to {@link #setHeartbeatResponse}. */
    public void queueHeartbeatResponse(HeartbeatResponse response) {
        synchronized (lock) {
            queuedHeartbeatResponses.addLast(Optional.ofNullable(response));
        }
    }

    /** Makes the orchestrator answer results with {@code ignored} (late, cancelled...). */
    public void setIgnoreResults(boolean ignore) {
        synchronized (lock) {
            ignoreResults = ignore;
        }
    }

    /**
     * Whether registration answers offer push dispatch to a worker that asks for it, as the
     * rxon-java orchestrator does (default); false answers like a reference orchestrator.
     */
    public void setPushSupported(boolean supported) {
        synchronized (lock) {
            pushSupported = supported;
        }
    }

    /**
     * Simulates the orchestrator dropping every socket: credits are forgotten, listeners hear the
     * disconnect, and sockets opened with {@code reconnect} come straight back.
     */
    public void dropSockets() {
        List<MockSocket> dropped;
        synchronized (lock) {
            dropped = List.copyOf(sockets);
            dropped.forEach(socket -> socket.credits = 0);
            sockets.removeIf(socket -> !socket.reconnect);
        }
        for (MockSocket socket : dropped) {
            socket.listener.onDisconnected(1006, "dropped by the mock orchestrator");
            if (socket.reconnect) {
                socket.listener.onConnected(socket);
            }
        }
    }

    public List<WorkerRegistration> registrations() {
        return List.copyOf(registrations);
    }

    public List<Heartbeat> heartbeats() {
        return List.copyOf(heartbeats);
    }

    public List<TaskResult> results() {
        return List.copyOf(results);
    }

    public List<WorkerEventPayload> events() {
        return List.copyOf(events);
    }

    public int queuedTasks() {
        synchronized (lock) {
            return tasks.size();
        }
    }

    /** Credits granted over open sockets and not yet used by pushed tasks. */
    public int availableCredits() {
        synchronized (lock) {
            return sockets.stream().mapToInt(socket -> socket.credits).sum();
        }
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connected;
        }
    }

    public String token() {
        return token;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public void connect() {
        synchronized (lock) {
            connected = true;
        }
    }

    @Override
    public void close() {
        List<MockSocket> open;
        synchronized (lock) {
            connected = false;
            open = List.copyOf(sockets);
        }
        open.forEach(MockSocket::close);
    }

    @Override
    public RegistrationResponse register(WorkerRegistration registration) {
        registrations.add(Objects.requireNonNull(registration, "registration"));
        boolean asked = registration.asksForPushDispatch();
        synchronized (lock) {
            return new RegistrationResponse("registered", Protocol.VERSION, null, null, asked && pushSupported);
        }
    }

    @Override
    public Optional<TaskPayload> pollTask(Duration timeout, List<String> availableSkills, List<String> hotSkills) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            try {
                while (tasks.isEmpty()) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                }
                return Optional.of(tasks.removeFirst());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RxonNetworkException("Interrupted while polling the mock orchestrator", e);
            }
        }
    }

    @Override
    public boolean sendResult(TaskResult result) {
        results.add(Objects.requireNonNull(result, "result"));
        synchronized (lock) {
            return !ignoreResults;
        }
    }

    @Override
    public Optional<HeartbeatResponse> sendHeartbeat(Heartbeat heartbeat) {
        heartbeats.add(Objects.requireNonNull(heartbeat, "heartbeat"));
        synchronized (lock) {
            Optional<HeartbeatResponse> queued = queuedHeartbeatResponses.pollFirst();
            return queued != null ? queued : heartbeatResponse;
        }
    }

    @Override
    public boolean emitEvent(WorkerEventPayload event) {
        events.add(Objects.requireNonNull(event, "event"));
        return true;
    }

    @Override
    public Optional<TokenResponse> refreshToken() {
        token = REFRESHED_TOKEN;
        return Optional.of(new TokenResponse(REFRESHED_TOKEN, 3600, workerId, null, null));
    }

    /** Connects at once: the listener hears {@code onConnected} before this method returns. */
    @Override
    public SocketSession openSocket(SocketListener listener, boolean reconnect) {
        MockSocket socket = new MockSocket(Objects.requireNonNull(listener, "listener"), reconnect);
        List<WorkerCommand> backlog;
        synchronized (lock) {
            sockets.add(socket);
            backlog = List.copyOf(undeliveredCommands);
            undeliveredCommands.clear();
        }
        listener.onConnected(socket);
        backlog.forEach(listener::onCommand);
        return socket;
    }

    /** One in-memory socket; results sent over it are acknowledged at once. */
    private final class MockSocket implements SocketSession {
        private final SocketListener listener;
        private final boolean reconnect;
        private int credits;

        MockSocket(SocketListener listener, boolean reconnect) {
            this.listener = listener;
            this.reconnect = reconnect;
        }

        @Override
        public boolean isOpen() {
            synchronized (lock) {
                return sockets.contains(this);
            }
        }

        @Override
        public CompletableFuture<Void> grantCredits(int slots) {
            if (slots < 0) {
                throw new IllegalArgumentException("credit slots must not be negative, got " + slots);
            }
            List<TaskPayload> pushed = new ArrayList<>();
            synchronized (lock) {
                if (!sockets.contains(this)) {
                    return CompletableFuture.failedFuture(closedSocket());
                }
                credits += slots;
                while (credits > 0 && !tasks.isEmpty()) {
                    credits--;
                    pushed.add(tasks.removeFirst());
                }
            }
            pushed.forEach(listener::onTask);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> sendResult(TaskResult result) {
            if (!isOpen()) {
                return CompletableFuture.failedFuture(closedSocket());
            }
            boolean accepted = MockTransport.this.sendResult(result);
            listener.onResultAck(accepted
                    ? ServerFrame.ResultAck.accepted(result.jobId(), result.taskId())
                    : ServerFrame.ResultAck.ignored(result.jobId(), result.taskId(), IgnoredReason.STALE_TASK.wire()));
            return CompletableFuture.completedFuture(accepted);
        }

        @Override
        public CompletableFuture<Void> sendEvent(WorkerEventPayload event) {
            if (!isOpen()) {
                return CompletableFuture.failedFuture(closedSocket());
            }
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            boolean removed;
            synchronized (lock) {
                removed = sockets.remove(this);
            }
            if (removed) {
                listener.onDisconnected(1000, "closed by the worker");
            }
        }

        private RxonNetworkException closedSocket() {
            return new RxonNetworkException("Mock socket is closed", null);
        }
    }
}
