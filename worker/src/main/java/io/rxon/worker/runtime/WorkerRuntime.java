package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.security.MessageVerifier;
import io.rxon.common.transport.Transport;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.link.LinkMode;
import io.rxon.worker.link.LinkSelector;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import io.rxon.worker.task.TaskTracing;
import io.rxon.worker.task.WorkerThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker as a whole: one {@link OrchestratorLink} per orchestrator (registration, heartbeats,
 * socket, executor, result outbox), the capacity slots they share and the poll loop that asks them
 * in the configured {@link LinkMode}; starts them, and drains them on shutdown: stop taking work,
 * let running tasks finish within the grace period (then cancel them and report them cancelled),
 * deliver every result to the orchestrator that gave the task, tell every orchestrator
 * {@code offline}, close the connections. Plain Java, so tests run whole workers against
 * {@code MockTransport} without starting Quarkus.
 */
public final class WorkerRuntime {

    private final RuntimeSettings settings;
    private final SkillRegistry skills;
    private final WorkerMetrics metrics;
    private final LinkMode mode;
    private final CapacitySlots slots;
    /** Task deadlines; separate from heartbeats, which may block on a slow orchestrator. */
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(WorkerThreads.named("rxon-timer"));
    private final ScheduledExecutorService beats;
    private final StopSignal intake = new StopSignal();
    private final List<OrchestratorLink> links;
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
        this(settings, List.of(LinkSpec.single(transport, settings)), LinkMode.FAILOVER, skills, profile, telemetry,
                metrics, clock, blobs, taskVerifier);
    }

    /**
     * A worker of several orchestrators, asked in {@code mode}. Push dispatch is used only with a
     * single orchestrator: with several, tasks come by long-poll so that the mode decides who
     * gives the next one (the sockets still carry commands and events).
     */
    public WorkerRuntime(RuntimeSettings settings, List<LinkSpec> specs, LinkMode mode, SkillRegistry skills,
            WorkerProfile profile, HostTelemetry telemetry, WorkerMetrics metrics, Clock clock, TaskBlobs blobs,
            Optional<MessageVerifier> taskVerifier) {
        this(settings, specs, mode, skills, profile, telemetry, metrics, clock, blobs, taskVerifier, TaskTracing.off());
    }

    /** {@code tracing}: continues each job's trace around its task (docs/TRACING.md). */
    public WorkerRuntime(RuntimeSettings settings, List<LinkSpec> specs, LinkMode mode, SkillRegistry skills,
            WorkerProfile profile, HostTelemetry telemetry, WorkerMetrics metrics, Clock clock, TaskBlobs blobs,
            Optional<MessageVerifier> taskVerifier, TaskTracing tracing) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one orchestrator");
        }
        this.settings = settings;
        this.skills = skills;
        this.metrics = metrics;
        this.mode = mode;
        this.slots = new CapacitySlots(settings.concurrency());
        this.beats = Executors.newScheduledThreadPool(specs.size(), WorkerThreads.named("rxon-heartbeat"));
        boolean several = specs.size() > 1;
        List<LinkSpec> ordered = new ArrayList<>(specs);
        ordered.sort(Comparator.comparingInt(LinkSpec::priority));
        List<OrchestratorLink> built = new ArrayList<>();
        for (LinkSpec spec : ordered) {
            RuntimeSettings own = settings.withChannel(spec.socket(), spec.pushDispatch() && !several);
            built.add(new OrchestratorLink(spec, own, several, slots, skills, profile, telemetry, metrics, clock,
                    blobs, taskVerifier, tracing, timers, intake));
        }
        this.links = List.copyOf(built);
        this.poll = new PollLoop(links, LinkSelector.of(mode, links.size()), slots, settings);
        metrics.gauges(this::running, slots::free, this::pendingResults);
        links.forEach(link -> metrics.linkGauges(link.url(), () -> link.connection().isConnected(
                settings.contactTimeout()), link.tasksTakenCounter()));
    }

    /** Starts every loop and the first registrations in the background; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Log.infof("worker %s starting with %d slot(s) and skills %s; connecting to %s", workerId(),
                settings.concurrency(), skills.names(), describeLinks());
        links.forEach(link -> link.start(beats, settings.heartbeatInterval()));
        poll.start();
    }

    /**
     * Graceful shutdown; idempotent, returns when the worker has gone {@code offline} with every
     * orchestrator.
     */
    public void drain() {
        if (!started.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        Log.infof("draining: no new work; waiting up to %s for %d running task(s)", settings.drainGracePeriod(),
                running());
        intake.stop();
        poll.stop(Duration.ofSeconds(2));
        new LinkDrain(links, settings).run();
        timers.shutdownNow();
        beats.shutdownNow();
        drained = true;
        Log.infof("worker %s is offline", workerId());
    }

    /** Liveness: the runtime's threads are alive (or it shut down on purpose). */
    public boolean isLive() {
        if (draining.get()) {
            return true;
        }
        return started.get() && poll.isAlive() && links.stream().allMatch(OrchestratorLink::isAlive)
                && !timers.isShutdown() && !beats.isShutdown();
    }

    /** Readiness: registered with and heard from at least one orchestrator recently, and not draining. */
    public boolean isReady() {
        return started.get() && !draining.get()
                && links.stream().anyMatch(link -> link.connection().isConnected(settings.contactTimeout()));
    }

    public boolean isDraining() {
        return draining.get();
    }

    public boolean isDrained() {
        return drained;
    }

    public String workerId() {
        return primary().transport().workerId();
    }

    /** The orchestrators, in priority order. */
    public List<OrchestratorLink> links() {
        return links;
    }

    public LinkMode mode() {
        return mode;
    }

    /** The first orchestrator's connection (the only one of a worker with one orchestrator). */
    public ConnectionState connection() {
        return primary().connection();
    }

    public CapacitySlots slots() {
        return slots;
    }

    /** The first orchestrator's tasks (all of them for a worker with one orchestrator). */
    public TaskExecutor executor() {
        return primary().executor();
    }

    /** The first orchestrator's results (all of them for a worker with one orchestrator). */
    public ResultOutbox outbox() {
        return primary().outbox();
    }

    public Registrar registrar() {
        return primary().registrar();
    }

    public SkillRegistry skills() {
        return skills;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Whether a socket channel is open right now. */
    public boolean isSocketOpen() {
        return links.stream().anyMatch(OrchestratorLink::isSocketOpen);
    }

    /** Whether tasks currently arrive by push. */
    public boolean isPushActive() {
        return links.stream().anyMatch(OrchestratorLink::isPushActive);
    }

    /** The latest contact with any orchestrator. */
    public Optional<Instant> lastContact() {
        return links.stream().map(link -> link.connection().lastContact()).flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    /** Tasks running for all orchestrators. */
    public int running() {
        return links.stream().mapToInt(link -> link.executor().running()).sum();
    }

    /** Results not yet acknowledged, for all orchestrators. */
    public int pendingResults() {
        return links.stream().mapToInt(link -> link.outbox().pending()).sum();
    }

    private OrchestratorLink primary() {
        return links.get(0);
    }

    private String describeLinks() {
        if (links.size() == 1) {
            OrchestratorLink link = links.get(0);
            return "the orchestrator at " + link.url() + (settings.pushDispatch() ? " (socket, push dispatch)"
                    : settings.socket() ? " (socket)" : "");
        }
        StringBuilder text = new StringBuilder(links.size() + " orchestrators in " + mode.wireName() + " mode:");
        links.forEach(link -> text.append(' ').append(link.url()).append(" (priority ").append(link.priority())
                .append(", weight ").append(link.weight()).append(')'));
        return text.toString();
    }
}
