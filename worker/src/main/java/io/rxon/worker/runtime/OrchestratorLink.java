package io.rxon.worker.runtime;

import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
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
import io.rxon.worker.task.TaskTracing;
import io.rxon.worker.task.TaskExecutor;
import io.rxon.worker.task.TaskFailures;
import io.rxon.worker.task.WorkerThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the worker keeps per orchestrator: its transport, registration, heartbeats, socket
 * (push dispatch), the executor of the tasks it gave and the outbox that returns their results,
 * so a result always goes back to the orchestrator that gave the task and that orchestrator's
 * heartbeats renew exactly its own tasks' leases. Only the capacity slots and the task timers are
 * shared with the other links. Polls back off per link, honouring {@code Retry-After}; when there
 * is another orchestrator to ask, a rate-limited one is left alone for at least
 * {@link #RATE_LIMIT_FLOOR} (the reference SDK's floor).
 */
public final class OrchestratorLink {

    static final Duration RATE_LIMIT_FLOOR = Duration.ofSeconds(30);

    private final LinkSpec spec;
    private final Transport transport;
    private final SkillRegistry skills;
    private final ConnectionState connection;
    private final TaskEvents events;
    private final TaskExecutor executor;
    private final ResultOutbox outbox;
    private final PushDispatch push;
    private final Registrar registrar;
    private final HeartbeatLoop heartbeat;
    private final ExecutorService control;
    private final RetryBackoff pollBackoff;
    private final boolean rateLimitFloor;
    private final AtomicLong tasksTaken = new AtomicLong();
    private volatile long askableFromNanos = System.nanoTime();

    /**
     * @param settings this link's settings (its socket and push flags)
     * @param shared whether other links exist (then a rate limit keeps this one quiet for 30 s at least)
     */
    OrchestratorLink(LinkSpec spec, RuntimeSettings settings, boolean shared, CapacitySlots slots,
            SkillRegistry skills, WorkerProfile profile, HostTelemetry telemetry, WorkerMetrics metrics, Clock clock,
            TaskBlobs blobs, Optional<MessageVerifier> taskVerifier, TaskTracing tracing,
            ScheduledExecutorService timers, StopSignal intake) {
        this.spec = spec;
        this.transport = spec.transport();
        this.skills = skills;
        this.rateLimitFloor = shared;
        this.pollBackoff = settings.newBackoff();
        this.connection = new ConnectionState(clock, metrics, shared ? "orchestrator " + spec.url() : "orchestrator");
        this.events = new TaskEvents(transport, clock, transport.workerId());
        SkillInvoker invoker = new SkillInvoker(skills, events, clock, transport.workerId(), blobs, taskVerifier,
                tracing);
        this.control = Executors.newSingleThreadExecutor(WorkerThreads.named("rxon-register"));
        OutboxRef outboxRef = new OutboxRef();
        this.executor = new TaskExecutor(invoker, skills, outboxRef::submit, metrics, clock, settings.concurrency(),
                timers);
        this.push = new PushDispatch(transport, slots, executor, outboxRef::submit, connection, metrics, settings,
                clock, timers);
        this.outbox = new ResultOutbox(transport, push::resultChannel, push::resultUnanswered, connection, clock,
                settings);
        outboxRef.target = outbox;
        this.registrar = new Registrar(transport, spec.profile().orElse(profile), skills, connection, clock, settings,
                intake, control);
        push.attach(registrar);
        this.heartbeat = new HeartbeatLoop(transport, skills, slots, executor, telemetry, registrar, connection, clock);
    }

    /** Starts the outbox, heartbeats and the first registration; returns at once. */
    void start(ScheduledExecutorService beats, Duration heartbeatInterval) {
        transport.connect();
        outbox.start();
        heartbeat.start(beats, heartbeatInterval);
        registrar.requestRegistration("start-up");
    }

    /** Registered, not backing off after a failed poll, and tasks do not come over its socket. */
    public boolean canBeAsked() {
        return connection.isRegistered() && System.nanoTime() - askableFromNanos >= 0 && !push.isActive();
    }

    /**
     * Asks this orchestrator for one task in the slot of {@code permit}: true when one arrived
     * (it now holds the permit), false on an empty answer or a failure (the caller releases it).
     */
    boolean poll(CapacitySlots.Permit permit, Duration timeout, StopSignal stop) {
        try {
            Optional<TaskPayload> task = transport.pollTask(timeout, skills.names(), null);
            connection.contactSucceeded();
            pollBackoff.reset();
            if (task.isEmpty()) {
                return false;
            }
            tasksTaken.incrementAndGet();
            executor.start(task.get(), permit);
            return true;
        } catch (RuntimeException e) {
            if (stop.isStopped()) {
                return false;
            }
            connection.contactFailed("polling for tasks", e);
            Duration wait = pollBackoff.next(e);
            if (rateLimitFloor && TaskFailures.unwrap(e) instanceof RxonRateLimitException
                    && wait.compareTo(RATE_LIMIT_FLOOR) < 0) {
                wait = RATE_LIMIT_FLOOR;
            }
            askableFromNanos = System.nanoTime() + wait.toNanos();
            return false;
        }
    }

    /** How long this link still backs off after a failed poll (zero when it may be asked). */
    Duration backoffRemaining() {
        return Duration.ofNanos(Math.max(0, askableFromNanos - System.nanoTime()));
    }

    /** Waits while tasks come over this link's socket, at most {@code timeout}. */
    void awaitPushInactive(Duration timeout) {
        push.awaitInactive(timeout);
    }

    /** The orchestrator's URL as configured. */
    public String url() {
        return spec.url();
    }

    public int priority() {
        return spec.priority();
    }

    public int weight() {
        return spec.weight();
    }

    public long tasksTaken() {
        return tasksTaken.get();
    }

    /** The live count, for the metrics (which read it at scrape time). */
    AtomicLong tasksTakenCounter() {
        return tasksTaken;
    }

    /** The last failure of a call to this orchestrator, if any. */
    public Optional<String> lastError() {
        return connection.lastError();
    }

    public Transport transport() {
        return transport;
    }

    public ConnectionState connection() {
        return connection;
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

    public boolean isSocketOpen() {
        return push.isSocketOpen();
    }

    public boolean isPushActive() {
        return push.isActive();
    }

    PushDispatch push() {
        return push;
    }

    HeartbeatLoop heartbeat() {
        return heartbeat;
    }

    TaskEvents events() {
        return events;
    }

    boolean isAlive() {
        return outbox.isAlive();
    }

    /** Releases what only this link holds, after the drain. */
    void close() {
        outbox.stop();
        events.close();
        executor.shutdown();
        control.shutdownNow();
        transport.close();
    }

    /** The outbox exists only after the executor and push dispatch that feed it. */
    private static final class OutboxRef {
        private volatile ResultOutbox target;

        void submit(TaskResult result) {
            target.submit(result);
        }

        void submit(TaskResult result, Runnable settled) {
            target.submit(result, settled);
        }
    }
}
