package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.HttpTransport;
import io.rxon.common.security.MessageVerifier;
import io.rxon.common.transport.Transport;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.SkillInvoker;
import io.rxon.worker.task.TaskEvents;
import io.rxon.worker.task.TaskExecutor;
import io.rxon.worker.task.WorkerThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker as a whole: wires capacity, executor, outbox, registrar, heartbeat, poll loop and
 * socket together, starts them, and drains them on shutdown: stop taking work, let running tasks
 * finish within the grace period (then cancel them and report them cancelled), deliver every
 * result, send the final {@code offline} heartbeat, close the connection. Plain Java, so tests
 * run whole workers against {@code MockTransport} without starting Quarkus.
 */
public final class WorkerRuntime {

    /** After the grace period: how long cancelled tasks get to report (at most; less with a shorter grace). */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    private static final Duration EVENT_FLUSH = Duration.ofSeconds(5);

    private final Transport transport;
    private final RuntimeSettings settings;
    private final SkillRegistry skills;
    private final WorkerMetrics metrics;
    private final ConnectionState connection;
    private final CapacitySlots slots;
    /** Task deadlines; separate from heartbeats, which may block on a slow orchestrator. */
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(WorkerThreads.named("rxon-timer"));
    private final ScheduledExecutorService beats =
            Executors.newSingleThreadScheduledExecutor(WorkerThreads.named("rxon-heartbeat"));
    private final ExecutorService control = Executors.newSingleThreadExecutor(WorkerThreads.named("rxon-register"));
    private final StopSignal intake = new StopSignal();
    private final TaskEvents events;
    private final TaskExecutor executor;
    private final ResultOutbox outbox;
    private final PushDispatch push;
    private final Registrar registrar;
    private final HeartbeatLoop heartbeat;
    private final PollLoop poll;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean drained;

    /** A runtime without a blob store (tasks that need blobs fail with {@code DEPENDENCY_MISSING_ERROR}). */
    public WorkerRuntime(RuntimeSettings settings, Transport transport, SkillRegistry skills, WorkerProfile profile,
            HostTelemetry telemetry, WorkerMetrics metrics, Clock clock) {
        this(settings, transport, skills, profile, telemetry, metrics, clock, TaskBlobs.none());
    }

    public WorkerRuntime(RuntimeSettings settings, Transport transport, SkillRegistry skills, WorkerProfile profile,
            HostTelemetry telemetry, WorkerMetrics metrics, Clock clock, TaskBlobs blobs) {
        this(settings, transport, skills, profile, telemetry, metrics, clock, blobs, Optional.empty());
    }

    /** {@code taskVerifier}: verifies the orchestrator's task signatures ({@code RXON_ORCHESTRATOR_SECRET_KEY}). */
    public WorkerRuntime(RuntimeSettings settings, Transport transport, SkillRegistry skills, WorkerProfile profile,
            HostTelemetry telemetry, WorkerMetrics metrics, Clock clock, TaskBlobs blobs,
            Optional<MessageVerifier> taskVerifier) {
        this.transport = transport;
        this.settings = settings;
        this.skills = skills;
        this.metrics = metrics;
        this.connection = new ConnectionState(clock, metrics);
        this.slots = new CapacitySlots(settings.concurrency());
        this.events = new TaskEvents(transport, clock, transport.workerId());
        SkillInvoker invoker = new SkillInvoker(skills, events, clock, transport.workerId(), blobs, taskVerifier);
        this.executor = new TaskExecutor(invoker, skills, this::queueResult, metrics, clock, settings.concurrency(),
                timers);
        this.push = new PushDispatch(transport, slots, executor, this::queueResult, connection, metrics, settings,
                clock, timers);
        this.outbox = new ResultOutbox(transport, push::resultChannel, push::resultUnanswered, connection, clock,
                settings);
        this.registrar = new Registrar(transport, profile, skills, connection, clock, settings, intake, control);
        push.attach(registrar);
        this.heartbeat = new HeartbeatLoop(transport, skills, slots, executor, telemetry, registrar, connection, clock);
        this.poll = new PollLoop(transport, slots, skills, executor, push, registrar, connection, settings);
        metrics.gauges(executor::running, slots::free, outbox::pending);
    }

    /** Starts every loop and the first registration in the background; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        String endpoint = transport instanceof HttpTransport http ? http.baseUrl() : "an in-memory orchestrator";
        Log.infof("worker %s starting with %d slot(s) and skills %s; connecting to the orchestrator at %s%s",
                transport.workerId(), settings.concurrency(), skills.names(), endpoint,
                settings.pushDispatch() ? " (socket, push dispatch)" : settings.socket() ? " (socket)" : "");
        transport.connect();
        outbox.start();
        heartbeat.start(beats, settings.heartbeatInterval());
        poll.start();
        registrar.requestRegistration("start-up");
    }

    /**
     * Graceful shutdown; idempotent, returns when the worker has gone {@code offline}.
     */
    public void drain() {
        if (!started.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        Log.infof("draining: no new work; waiting up to %s for %d running task(s)", settings.drainGracePeriod(),
                executor.running());
        intake.stop();
        poll.stop(Duration.ofSeconds(2));
        push.stop();
        if (connection.isRegistered()) {
            heartbeat.drain();
        }
        if (!executor.awaitIdle(settings.drainGracePeriod())) {
            Log.warnf("grace period over; cancelling %s", executor.currentTaskIds());
            executor.cancelAll();
            Duration cancelWait = settings.drainGracePeriod().compareTo(CANCEL_WAIT) < 0
                    ? settings.drainGracePeriod() : CANCEL_WAIT;
            if (!executor.awaitIdle(cancelWait)) {
                List<String> abandoned = executor.abandonRunning();
                Log.warnf("tasks %s ignored cancellation; reported them cancelled", abandoned);
            }
        }
        events.flush(EVENT_FLUSH);
        if (!outbox.flush(settings.resultFlushTimeout())) {
            Log.errorf("%d result(s) could not be delivered before shutdown", outbox.pending());
        }
        if (connection.isRegistered()) {
            heartbeat.finish();
        }
        outbox.stop();
        events.close();
        executor.shutdown();
        timers.shutdownNow();
        beats.shutdownNow();
        control.shutdownNow();
        transport.close();
        drained = true;
        Log.infof("worker %s is offline", transport.workerId());
    }

    /** Liveness: the runtime's threads are alive (or it shut down on purpose). */
    public boolean isLive() {
        if (draining.get()) {
            return true;
        }
        return started.get() && poll.isAlive() && outbox.isAlive() && !timers.isShutdown() && !beats.isShutdown();
    }

    /** Readiness: registered and heard from the orchestrator recently, and not draining. */
    public boolean isReady() {
        return started.get() && !draining.get() && connection.isConnected(settings.contactTimeout());
    }

    public boolean isDraining() {
        return draining.get();
    }

    public boolean isDrained() {
        return drained;
    }

    public String workerId() {
        return transport.workerId();
    }

    public ConnectionState connection() {
        return connection;
    }

    public CapacitySlots slots() {
        return slots;
    }

    public TaskExecutor executor() {
        return executor;
    }

    public ResultOutbox outbox() {
        return outbox;
    }

    public Registrar registrar() {
        return registrar;
    }

    public SkillRegistry skills() {
        return skills;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Whether the socket channel is open right now. */
    public boolean isSocketOpen() {
        return push.isSocketOpen();
    }

    /** Whether tasks currently arrive by push. */
    public boolean isPushActive() {
        return push.isActive();
    }

    public Optional<Instant> lastContact() {
        return connection.lastContact();
    }

    private void queueResult(TaskResult result) {
        outbox.submit(result);
    }
}
