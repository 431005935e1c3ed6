package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import io.rxon.worker.task.TaskFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker's socket channel (docs/PUSH_DISPATCH.md): commands ({@code cancel_task}) and events
 * always, and tasks pushed against credits only once the orchestrator consented to push dispatch
 * in its register answer; without that consent (a reference orchestrator) the socket carries
 * reference frames only and tasks come by long-poll. A credit is a reserved slot: on every
 * (re)connect the worker grants its free slots, and one more each time a slot is freed; a pushed
 * task occupies a credit's slot, so the worker never holds more tasks than slots. While the socket
 * is down, push was refused on it, or the orchestrator stopped answering credits or results,
 * credits are returned to the pool and the poll loop takes over. A refusal triggers a
 * registration; silence reopens the socket without push (the orchestrator forgets the credits)
 * and tries push again after {@link #PUSH_RETRY} or the next registration.
 */
public final class PushDispatch {

    /** After the orchestrator went silent on push: how long the worker stays on long-poll before trying again. */
    static final Duration PUSH_RETRY = Duration.ofSeconds(60);

    private final Transport transport;
    private final CapacitySlots slots;
    private final TaskExecutor executor;
    private final Consumer<TaskResult> results;
    private final ConnectionState connection;
    private final WorkerMetrics metrics;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Object lock = new Object();
    private final Deque<CapacitySlots.Permit> credits = new ArrayDeque<>();
    private Registrar registrar;
    private Channel current;
    private SocketSession session;
    private boolean pushOn;
    private boolean negotiated;
    private boolean refused;
    private boolean stopped;
    private boolean everConnected;

    /**
     * @param results where a pushed task that cannot be held is reported (it never happens with a correct peer)
     * @param timers schedules the next push attempt after the orchestrator went silent
     */
    public PushDispatch(Transport transport, CapacitySlots slots, TaskExecutor executor, Consumer<TaskResult> results,
            ConnectionState connection, WorkerMetrics metrics, RuntimeSettings settings, Clock clock,
            ScheduledExecutorService timers) {
        this.transport = transport;
        this.slots = slots;
        this.executor = executor;
        this.results = results;
        this.connection = connection;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.timers = timers;
        slots.onRelease(this::slotFreed);
    }

    /** Wires the registrar used to recover from a refused push (after construction: they know each other). */
    public void attach(Registrar value) {
        registrar = value;
        value.onRegistered(this::registered);
    }

    /**
     * After a registration: push is used only when the worker wants it and the answer consented.
     * The socket is (re)opened when there is none, when push was refused on it, or when it was
     * opened with the other mode (the orchestrator decides on push when the socket opens, from the
     * registration it holds); otherwise it stays as it is (it reconnects by itself).
     */
    void registered(RegistrationResponse response) {
        boolean push = settings.pushDispatch() && response.pushDispatch();
        if (settings.pushDispatch() && !push) {
            Log.infof("the orchestrator did not offer push dispatch; tasks come by long-poll%s",
                    settings.socket() ? ", the socket carries commands and events only" : "");
        }
        synchronized (lock) {
            negotiated = push;
        }
        open(push, false);
    }

    /** Opens a socket in the given mode unless one is open in that mode already (or {@code force}). */
    private void open(boolean push, boolean force) {
        Channel previous;
        Channel fresh;
        List<CapacitySlots.Permit> returned;
        synchronized (lock) {
            if (stopped || !settings.socket()
                    || !force && current != null && !refused && current.push == push) {
                return;
            }
            previous = current;
            refused = false;
            pushOn = false;
            session = null;
            returned = takeCredits();
            fresh = new Channel(push);
            current = fresh;
            lock.notifyAll();
        }
        returned.forEach(CapacitySlots.Permit::release);
        if (previous != null) {
            previous.close();
        }
        fresh.opened(transport.openSocket(fresh, true));
        synchronized (lock) {
            // A concurrent open (a registration, a silence, a retry) may have replaced this socket
            // while it was being opened: two sockets of one worker would keep evicting each other.
            if (stopped || current != fresh) {
                fresh.close();
            }
        }
    }

    /** Whether tasks come over the socket now (the poll loop then rests). */
    public boolean isActive() {
        synchronized (lock) {
            return pushOn && session != null && session.isOpen();
        }
    }

    /** Waits until push is no longer active, at most {@code timeout}. */
    public void awaitInactive(Duration timeout) {
        synchronized (lock) {
            if (isActive()) {
                try {
                    lock.wait(Math.max(1, timeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The socket to send results over: present only while push dispatch is active on it. */
    public Optional<SocketSession> resultChannel() {
        synchronized (lock) {
            return isActive() ? Optional.of(session) : Optional.empty();
        }
    }

    /** Whether the socket channel is open (with or without push). */
    public boolean isSocketOpen() {
        synchronized (lock) {
            return session != null && session.isOpen();
        }
    }

    /** Stops taking pushed work: closes the socket (the orchestrator forgets its credits) and frees the slots. */
    public void stop() {
        Channel closing;
        List<CapacitySlots.Permit> returned;
        synchronized (lock) {
            stopped = true;
            pushOn = false;
            session = null;
            closing = current;
            current = null;
            returned = takeCredits();
            lock.notifyAll();
        }
        returned.forEach(CapacitySlots.Permit::release);
        if (closing != null) {
            closing.close();
        }
    }

    private void connected(Channel channel, SocketSession opened) {
        int granted = 0;
        synchronized (lock) {
            if (channel != current || stopped) {
                return;
            }
            session = opened;
            connection.contactSucceeded();
            if (everConnected) {
                metrics.reconnected("socket");
            }
            everConnected = true;
            if (channel.push) {
                pushOn = true;
                for (Optional<CapacitySlots.Permit> permit = slots.tryReserve(); permit.isPresent();
                        permit = slots.tryReserve()) {
                    credits.addLast(permit.get());
                    granted++;
                }
            }
        }
        Log.infof("socket to the orchestrator is open%s", channel.push
                ? ", push dispatch on with " + granted + " credit(s)" : " (commands and events; tasks by long-poll)");
        grant(channel, opened, granted);
    }

    private void disconnected(Channel channel, int statusCode, String reason) {
        List<CapacitySlots.Permit> returned;
        synchronized (lock) {
            if (channel != current) {
                return;
            }
            pushOn = false;
            session = null;
            returned = takeCredits();
            lock.notifyAll();
        }
        returned.forEach(CapacitySlots.Permit::release);
        if (!stopped) {
            Log.infof("socket to the orchestrator closed (%d %s); long-polling until it is back", statusCode, reason);
        }
    }

    private void taskPushed(TaskPayload task) {
        CapacitySlots.Permit permit;
        synchronized (lock) {
            permit = credits.pollFirst();
        }
        if (permit == null) {
            permit = slots.tryReserve().orElse(null);
        }
        connection.contactSucceeded();
        if (permit == null) {
            Log.warnf("task %s was pushed without a credit and no slot is free; handing it back", task.taskId());
            results.accept(TaskResult.failure(task, transport.workerId(), new TaskError(
                    ErrorCode.RESOURCE_EXHAUSTED_ERROR, "pushed beyond the worker's credits; no free slot"),
                    clock.instant().getEpochSecond()));
            return;
        }
        executor.start(task, permit);
    }

    private void commandReceived(WorkerCommand command) {
        if (Protocol.COMMAND_CANCEL_TASK.equals(command.command()) && command.taskId() != null) {
            if (executor.cancel(command.taskId())) {
                Log.infof("orchestrator cancelled task %s over the socket", command.taskId());
            } else {
                Log.debugf("cancel for task %s, which is not running here", command.taskId());
            }
            return;
        }
        Log.infof("ignoring unsupported command '%s'", command.command());
    }

    private void serverError(Channel channel, ServerFrame.ServerError error) {
        boolean pushRefused = error.taskId() == null
                && ErrorCode.CONTRACT_VIOLATION_ERROR.name().equals(error.code());
        if (!pushRefused) {
            return;
        }
        List<CapacitySlots.Permit> returned;
        synchronized (lock) {
            if (channel != current || !pushOn) {
                return;
            }
            pushOn = false;
            refused = true;
            returned = takeCredits();
            lock.notifyAll();
        }
        returned.forEach(CapacitySlots.Permit::release);
        Log.warnf("orchestrator refused push dispatch on this socket (%s); long-polling and registering again",
                error.error());
        if (registrar != null) {
            registrar.requestRegistration("push dispatch was refused");
        }
    }

    /** A slot was freed: while push is on, it becomes a credit at once. */
    private void slotFreed() {
        Channel channel;
        SocketSession target;
        synchronized (lock) {
            if (!pushOn || stopped) {
                return;
            }
            Optional<CapacitySlots.Permit> permit = slots.tryReserve();
            if (permit.isEmpty()) {
                return;
            }
            credits.addLast(permit.get());
            channel = current;
            target = session;
        }
        grant(channel, target, 1);
    }

    private void grant(Channel channel, SocketSession target, int count) {
        if (count == 0 || target == null) {
            return;
        }
        target.grantCredits(count).whenComplete((ignored, error) -> {
            if (TaskFailures.unwrap(error) instanceof RxonAckTimeoutException) {
                silent(channel, target, "credits");
            } else if (error != null) {
                creditsLost(channel, count, error);
            }
        });
    }

    /**
     * The orchestrator did not answer a result sent over {@code target} in time: it is no longer
     * pushing either, so stop waiting for it.
     */
    public void resultUnanswered(SocketSession target) {
        Channel channel;
        synchronized (lock) {
            channel = current;
        }
        silent(channel, target, "a result");
    }

    /**
     * The orchestrator stopped answering on a push socket: back to long-poll at once, on a socket
     * reopened without push (so the orchestrator forgets the credits it will not honour); push is
     * tried again after {@link #PUSH_RETRY}.
     */
    private void silent(Channel channel, SocketSession target, String what) {
        synchronized (lock) {
            if (channel != current || session != target || !pushOn || stopped) {
                return;
            }
        }
        Log.warnf("the orchestrator did not answer %s within the ack timeout; long-polling, push again in %s s",
                what, PUSH_RETRY.toSeconds());
        open(false, true);
        try {
            timers.schedule(this::retryPush, PUSH_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            Log.debug("worker is shutting down; push is not tried again");
        }
    }

    private void retryPush() {
        boolean retry;
        synchronized (lock) {
            retry = negotiated && !stopped && current != null && !current.push;
        }
        if (retry) {
            Log.info("trying push dispatch again");
            open(true, false);
        }
    }

    /** Credits that could not be written are returned, unless the disconnect already returned them. */
    private void creditsLost(Channel channel, int count, Throwable error) {
        List<CapacitySlots.Permit> returned = new ArrayList<>();
        synchronized (lock) {
            if (channel != current || session == null) {
                return;
            }
            for (int i = 0; i < count && !credits.isEmpty(); i++) {
                returned.add(credits.pollLast());
            }
        }
        Log.debugf("granting %d credit(s) failed: %s", count, error.getMessage());
        returned.forEach(CapacitySlots.Permit::release);
    }

    private List<CapacitySlots.Permit> takeCredits() {
        List<CapacitySlots.Permit> taken = new ArrayList<>(credits);
        credits.clear();
        return taken;
    }

    /** The listener of one socket; events from a socket that was replaced are ignored. */
    private final class Channel implements SocketListener {
        /** Whether this socket is for push (consented), or for reference frames only. */
        private final boolean push;
        private volatile SocketSession opened;

        Channel(boolean push) {
            this.push = push;
        }

        void opened(SocketSession value) {
            opened = value;
        }

        void close() {
            SocketSession value = opened;
            if (value != null) {
                value.close();
            }
        }

        @Override
        public void onConnected(SocketSession connectedSession) {
            opened = connectedSession;
            connected(this, connectedSession);
        }

        @Override
        public void onDisconnected(int statusCode, String reason) {
            disconnected(this, statusCode, reason);
        }

        @Override
        public void onConnectFailed(RxonException error) {
            Log.debugf("socket connection failed: %s", error.getMessage());
        }

        @Override
        public void onCommand(WorkerCommand command) {
            commandReceived(command);
        }

        @Override
        public void onTask(TaskPayload task) {
            taskPushed(task);
        }

        @Override
        public void onServerError(ServerFrame.ServerError error) {
            serverError(this, error);
        }
    }
}
