package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonAckTimeoutException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import io.rxon.worker.task.TaskFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
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
 * and tries push again after {@link PushSilence#PUSH_RETRY} or the next registration.
 *
 * <p>The channel's state lives in a {@link PushMachine} ({@link PushState}: closed, connecting,
 * connected, pushing, refused, stopped); this class carries out what its transitions call for.
 */
public final class PushDispatch {

    private final Transport transport;
    private final ConnectionState connection;
    private final WorkerMetrics metrics;
    private final RuntimeSettings settings;
    private final PushedWork work;
    private final PushMachine machine;
    private final PushSilence silence;
    private volatile Registrar registrar;

    /**
     * @param results where a pushed task that cannot be held is reported (it never happens with a correct peer)
     * @param timers schedules the next push attempt after the orchestrator went silent
     */
    public PushDispatch(Transport transport, CapacitySlots slots, TaskExecutor executor, Consumer<TaskResult> results,
            ConnectionState connection, WorkerMetrics metrics, RuntimeSettings settings, Clock clock,
            ScheduledExecutorService timers) {
        this.transport = transport;
        this.connection = connection;
        this.metrics = metrics;
        this.settings = settings;
        this.work = new PushedWork(transport.workerId(), slots, executor, results, connection, clock);
        this.machine = new PushMachine(slots);
        this.silence = new PushSilence(machine, timers, this::open);
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
        machine.negotiated(push);
        open(push, false);
    }

    /** Opens a socket in the given mode unless one is open in that mode already (or {@code force}). */
    private void open(boolean push, boolean force) {
        if (!settings.socket()) {
            return;
        }
        PushChannel fresh = new PushChannel(this, work, push);
        Optional<PushMachine.Reopening> reopening = machine.open(fresh, force);
        if (reopening.isEmpty()) {
            return;
        }
        reopening.get().returned().forEach(CapacitySlots.Permit::release);
        reopening.get().previous().ifPresent(PushChannel::close);
        fresh.opened(transport.openSocket(fresh, true));
        // A concurrent open (a registration, a silence, a retry) may have replaced this socket
        // while it was being opened: two sockets of one worker would keep evicting each other.
        if (!machine.wanted(fresh)) {
            fresh.close();
        }
    }

    /** Whether tasks come over the socket now (the poll loop then rests). */
    public boolean isActive() {
        return machine.isPushing();
    }

    /** Waits until push is no longer active, at most {@code timeout}. */
    public void awaitInactive(Duration timeout) {
        machine.awaitNotPushing(timeout);
    }

    /** The socket to send results over: present only while push dispatch is active on it. */
    public Optional<SocketSession> resultChannel() {
        return machine.pushSession();
    }

    /** Whether the socket channel is open (with or without push). */
    public boolean isSocketOpen() {
        return machine.isSocketOpen();
    }

    /** Stops taking pushed work: closes the socket (the orchestrator forgets its credits) and frees the slots. */
    public void stop() {
        PushMachine.Reopening closing = machine.stop();
        closing.returned().forEach(CapacitySlots.Permit::release);
        closing.previous().ifPresent(PushChannel::close);
    }

    void connected(PushChannel channel, SocketSession opened) {
        Optional<PushMachine.Connection> connected = machine.connected(channel, opened);
        if (connected.isEmpty()) {
            return;
        }
        connection.contactSucceeded();
        if (connected.get().reconnect()) {
            metrics.reconnected("socket");
        }
        int granted = connected.get().granted();
        Log.infof("socket to the orchestrator is open%s", channel.push()
                ? ", push dispatch on with " + granted + " credit(s)" : " (commands and events; tasks by long-poll)");
        grant(channel, opened, granted);
    }

    void disconnected(PushChannel channel, int statusCode, String reason) {
        machine.disconnected(channel).ifPresent(returned -> {
            returned.forEach(CapacitySlots.Permit::release);
            Log.infof("socket to the orchestrator closed (%d %s); long-polling until it is back", statusCode, reason);
        });
    }

    /** The credit a pushed task takes, if one is held. */
    Optional<CapacitySlots.Permit> takeCredit() {
        return machine.takeCredit();
    }

    void serverError(PushChannel channel, ServerFrame.ServerError error) {
        boolean pushRefused = error.taskId() == null
                && ErrorCode.CONTRACT_VIOLATION_ERROR.name().equals(error.code());
        if (!pushRefused) {
            return;
        }
        machine.refused(channel).ifPresent(returned -> {
            returned.forEach(CapacitySlots.Permit::release);
            Log.warnf("orchestrator refused push dispatch on this socket (%s); long-polling and registering again",
                    error.error());
            Registrar recovery = registrar;
            if (recovery != null) {
                recovery.requestRegistration("push dispatch was refused");
            }
        });
    }

    /** A slot was freed: while push is on, it becomes a credit at once. */
    private void slotFreed() {
        machine.slotFreed().ifPresent(pushing -> grant(pushing.socket(), pushing.connection(), 1));
    }

    private void grant(PushChannel channel, SocketSession target, int count) {
        if (count == 0 || target == null) {
            return;
        }
        target.grantCredits(count).whenComplete((ignored, error) -> {
            if (TaskFailures.unwrap(error) instanceof RxonAckTimeoutException) {
                silence.unanswered(channel, target, "credits");
            } else if (error != null) {
                Log.debugf("granting %d credit(s) failed: %s", count, error.getMessage());
                machine.creditsLost(channel, count).forEach(CapacitySlots.Permit::release);
            }
        });
    }

    /**
     * The orchestrator did not answer a result sent over {@code target} in time: it is no longer
     * pushing either, so stop waiting for it.
     */
    public void resultUnanswered(SocketSession target) {
        machine.channel().ifPresent(channel -> silence.unanswered(channel, target, "a result"));
    }
}
