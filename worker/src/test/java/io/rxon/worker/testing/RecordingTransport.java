package io.rxon.worker.testing;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.MockTransport;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link MockTransport} with the two things it lacks for worker tests: a record of what every
 * long-poll asked for, and failures injected into result submission and registration.
 */
public final class RecordingTransport implements Transport {

    private final MockTransport mock;
    private final List<List<String>> polledSkills = new CopyOnWriteArrayList<>();
    private final Deque<Supplier<RxonException>> resultFailures = new ArrayDeque<>();
    private final Deque<Supplier<RxonException>> registerFailures = new ArrayDeque<>();
    private final Deque<Supplier<RxonException>> pollFailures = new ArrayDeque<>();
    private final AtomicInteger resultAttempts = new AtomicInteger();
    private final List<SocketListener> socketListeners = new CopyOnWriteArrayList<>();
    private final List<String> sequence = new CopyOnWriteArrayList<>();

    public RecordingTransport(String workerId) {
        this.mock = new MockTransport(workerId, "test-token");
    }

    public MockTransport mock() {
        return mock;
    }

    /** The {@code available_skills} of every poll so far. */
    public List<List<String>> polledSkills() {
        return List.copyOf(polledSkills);
    }

    /** The next {@code count} result submissions fail with {@code failure}. */
    public void failNextResults(int count, Supplier<RxonException> failure) {
        synchronized (resultFailures) {
            for (int i = 0; i < count; i++) {
                resultFailures.addLast(failure);
            }
        }
    }

    /** Result submissions succeed again from now on. */
    public void stopFailingResults() {
        synchronized (resultFailures) {
            resultFailures.clear();
        }
    }

    public void failNextRegistrations(int count, Supplier<RxonException> failure) {
        synchronized (registerFailures) {
            for (int i = 0; i < count; i++) {
                registerFailures.addLast(failure);
            }
        }
    }

    /** The next {@code count} polls fail with {@code failure}. */
    public void failNextPolls(int count, Supplier<RxonException> failure) {
        synchronized (pollFailures) {
            for (int i = 0; i < count; i++) {
                pollFailures.addLast(failure);
            }
        }
    }

    /** What reached the orchestrator, in order: {@code event:<type>:<task>} and {@code result:<task>}. */
    public List<String> sequence() {
        return List.copyOf(sequence);
    }

    public int resultAttempts() {
        return resultAttempts.get();
    }

    /** Listeners of every socket opened, to play the orchestrator's frames into them. */
    public List<SocketListener> socketListeners() {
        return List.copyOf(socketListeners);
    }

    @Override
    public String workerId() {
        return mock.workerId();
    }

    @Override
    public void connect() {
        mock.connect();
    }

    @Override
    public void close() {
        mock.close();
    }

    @Override
    public RegistrationResponse register(WorkerRegistration registration) {
        Supplier<RxonException> failure;
        synchronized (registerFailures) {
            failure = registerFailures.pollFirst();
        }
        if (failure != null) {
            throw failure.get();
        }
        return mock.register(registration);
    }

    @Override
    public Optional<TaskPayload> pollTask(Duration timeout, List<String> availableSkills, List<String> hotSkills) {
        polledSkills.add(availableSkills == null ? List.of() : List.copyOf(availableSkills));
        Supplier<RxonException> failure;
        synchronized (pollFailures) {
            failure = pollFailures.pollFirst();
        }
        if (failure != null) {
            throw failure.get();
        }
        return mock.pollTask(timeout, availableSkills, hotSkills);
    }

    @Override
    public boolean sendResult(TaskResult result) {
        resultAttempts.incrementAndGet();
        Supplier<RxonException> failure;
        synchronized (resultFailures) {
            failure = resultFailures.pollFirst();
        }
        if (failure != null) {
            throw failure.get();
        }
        boolean accepted = mock.sendResult(result);
        sequence.add("result:" + result.taskId());
        return accepted;
    }

    @Override
    public Optional<HeartbeatResponse> sendHeartbeat(Heartbeat heartbeat) {
        return mock.sendHeartbeat(heartbeat);
    }

    @Override
    public boolean emitEvent(WorkerEventPayload event) {
        boolean accepted = mock.emitEvent(event);
        sequence.add("event:" + event.eventType() + ":" + event.originTaskId());
        return accepted;
    }

    @Override
    public Optional<TokenResponse> refreshToken() {
        return mock.refreshToken();
    }

    @Override
    public SocketSession openSocket(SocketListener listener, boolean reconnect) {
        socketListeners.add(listener);
        return mock.openSocket(listener, reconnect);
    }
}
