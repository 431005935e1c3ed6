package io.rxon.orchestrator.dispatch;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.rxon.common.matching.Requirements;
import io.rxon.common.matching.WorkerEligibility;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.cluster.PeerTasksQueued;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.job.ClaimedTask;
import io.rxon.orchestrator.job.JobCommits;
import io.rxon.orchestrator.job.PendingTask;
import io.rxon.orchestrator.job.TaskClaims;
import io.rxon.orchestrator.job.TasksQueued;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Hands tasks to workers within milliseconds of submission, with no polling interval. A worker
 * that asks for work (a long-poll, or credits on its push socket) first claims the most urgent
 * matching pending task from the database and otherwise waits; a newly pending task is offered to
 * the waiting workers that match it ({@link ReceiverIndex}) as soon as the lifecycle says it was
 * queued ({@link TasksQueued}, {@link PeerTasksQueued}). Database claims decide every race, so
 * a task reaches exactly one worker. A worker whose last claim found nothing, with nothing of its
 * skills offered since, waits without asking the database again ({@link EmptyClaims}).
 */
@ApplicationScoped
public class Dispatcher {

    /** For claims nobody waits on (offers, credits): failures are logged by {@link #claimFailed} alone. */
    private static final Consumer<Throwable> IGNORE = error -> { };

    private final ConcurrentMap<String, TaskReceiver> polls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TaskReceiver> sockets = new ConcurrentHashMap<>();
    private final ReceiverIndex waiting = new ReceiverIndex();
    private final EmptyClaims emptyClaims;
    private final LongAdder claimQueries = new LongAdder();
    private final LongAdder claimQueriesSkipped = new LongAdder();
    private final TaskClaims claims;
    private final JobCommits commits;
    private final OrchestratorMetrics metrics;
    private final WorkerRegistry registry;
    private final Vertx vertx;
    private final Clock clock;
    private final long leaseMillis;
    private final Duration maxPollTimeout;

    public Dispatcher(TaskClaims claims, WorkerRegistry registry, JobCommits commits,
            OrchestratorMetrics metrics, Vertx vertx, Clock clock, OrchestratorConfig config) {
        this.claims = claims;
        this.metrics = metrics;
        this.commits = commits;
        this.registry = registry;
        this.vertx = vertx;
        this.clock = clock;
        this.emptyClaims = new EmptyClaims(config.timing().emptyClaimTrust().toMillis());
        this.leaseMillis = config.timing().livenessTimeout().toMillis();
        this.maxPollTimeout = config.timing().pollTimeout();
    }

    /**
     * A worker's long-poll: a claimed task, or empty after the timeout (the shorter of the
     * worker's and ours). A newer poll of the same worker ends this one empty. When the worker
     * lists its available skills (it may be at capacity for some), only those are considered.
     */
    public Uni<Optional<ClaimedTask>> poll(String workerId, Duration requested, Set<String> availableSkills) {
        Duration timeout = requested == null || requested.isZero() || requested.compareTo(maxPollTimeout) > 0
                ? maxPollTimeout : requested;
        CompletableFuture<Optional<ClaimedTask>> outcome = new CompletableFuture<>();
        TaskReceiver receiver = TaskReceiver.longPoll(workerId, availableSkills,
                task -> outcome.complete(Optional.of(task)),
                () -> outcome.complete(Optional.empty()));
        TaskReceiver previous = polls.put(workerId, receiver);
        if (previous != null) {
            previous.close();
            waiting.remove(previous);
        }
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> receiver.close());
        lookForWork(receiver, error -> outcome.completeExceptionally(error));
        return Uni.createFrom().completionStage(outcome)
                .onCancellation().invoke(receiver::close)
                .onTermination().invoke(() -> {
                    vertx.cancelTimer(timer);
                    polls.remove(workerId, receiver);
                    waiting.remove(receiver);
                });
    }

    /** A push socket opened: tasks claimed for it go to {@code delivery}. Returns the handle for credits. */
    public PushHandle openPush(String workerId, Consumer<ClaimedTask> delivery) {
        TaskReceiver receiver = TaskReceiver.socket(workerId, delivery);
        TaskReceiver previous = sockets.put(workerId, receiver);
        if (previous != null) {
            previous.close();
            waiting.remove(previous);
        }
        waiting.place(receiver, registry.find(workerId));
        return new PushHandle(receiver);
    }

    /** The dispatcher's side of one push socket. */
    public final class PushHandle {
        private final TaskReceiver receiver;

        private PushHandle(TaskReceiver receiver) {
            this.receiver = receiver;
        }

        /** The worker can take {@code slots} more tasks. */
        public void grant(int slots) {
            if (slots > 0 && receiver.grant(slots)) {
                lookForWork(receiver, IGNORE);
            }
        }

        public void close() {
            receiver.close();
            sockets.remove(receiver.workerId(), receiver);
            waiting.remove(receiver);
        }
    }

    /** Tasks this orchestrator queued (submissions, retries) are offered once their transaction committed. */
    void onQueued(@Observes TasksQueued queued) {
        queued.tasks().forEach(this::offer);
    }

    /** Tasks another orchestrator queued are offered to the workers parked here. */
    void onPeerTasks(@Observes PeerTasksQueued queued) {
        claims.pendingTasks(queued.taskIds()).subscribe().with(tasks -> tasks.forEach(this::offer),
                error -> Log.warnf(error, "cannot read tasks %s queued by another orchestrator", queued.taskIds()));
    }

    /**
     * Offers a task that just became pending to the waiting workers that match it: hot workers
     * first, from a random one on, the first eligible one that can start a claim gets it. Only a
     * task that no waiting worker takes raises its type's pending generation ({@link EmptyClaims}):
     * one that is handed over at once is no news to anyone else, so the busy workers' next polls
     * (below saturation, one per job) need not ask the database again. A claim of the offered
     * task that finds it gone means another claim took it; one that fails leaves it pending.
     */
    public void offer(PendingTask task) {
        TaskReceiver receiver = waiting.startClaim(task.type(),
                candidate -> candidate.accepts(task.type())
                        && eligible(candidate.workerId(), task.type(), task.requirements()));
        if (receiver == null) {
            emptyClaims.offered(task.type());
            return;
        }
        claims.claim(task.taskId(), receiver.workerId(), leaseMillis).subscribe().with(
                claimed -> {
                    if (claimed.isEmpty()) {
                        // Another claim took this task first: the queue may still hold work for the worker.
                        receiver.lookAgain();
                    }
                    afterClaim(receiver, claimed, IGNORE);
                },
                error -> {
                    emptyClaims.offered(task.type());
                    claimFailed(receiver, error, IGNORE);
                });
    }

    /**
     * Re-indexes waiting receivers whose worker registered again or changed its skills since they
     * were indexed, and lets each look for work once: a task of a new skill may have been offered
     * before the index knew.
     */
    @Scheduled(every = "${rxon.orchestrator.timing.sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reindexChangedWorkers() {
        for (TaskReceiver receiver : waiting.reconcile(registry::find)) {
            if (receiver.tryStartClaim()) {
                lookForWork(receiver, IGNORE);
            }
        }
    }

    /** Waiting long-polls and open push sockets (gauges). */
    public int parkedPolls() {
        return polls.size();
    }

    public int pushSockets() {
        return sockets.size();
    }

    /** Whether this worker's long-poll is parked, waiting for an offer (tests). */
    boolean isParked(String workerId) {
        TaskReceiver receiver = polls.get(workerId);
        return receiver != null && receiver.isWaiting();
    }

    /** Claim transactions run for polls and credits (a claim of one offered task not counted). */
    public long claimQueries() {
        return claimQueries.sum();
    }

    /** Polls and credits answered without a claim transaction, nothing having been offered since their worker's last empty one. */
    public long claimQueriesSkipped() {
        return claimQueriesSkipped.sum();
    }

    private void lookForWork(TaskReceiver receiver, Consumer<Throwable> onError) {
        String workerId = receiver.workerId();
        Optional<WorkerState> worker = registry.find(workerId);
        waiting.place(receiver, worker);
        List<String> skills = worker.filter(state -> !WorkerStatus.DRAINING.is(state.status()))
                .map(state -> state.skillNames().stream().filter(receiver::accepts).toList()).orElse(List.of());
        WorkerRegistration registration = worker.map(WorkerState::registration).orElse(null);
        long now = clock.millis();
        if (skills.isEmpty() || emptyClaims.nothingNew(workerId, registration, skills, now)) {
            if (!skills.isEmpty()) {
                claimQueriesSkipped.increment();
            }
            afterClaim(receiver, Optional.empty(), onError);
            return;
        }
        claimQueries.increment();
        EmptyClaims.Snapshot snapshot = emptyClaims.snapshot(skills, now);
        claims.claimNext(workerId, skills,
                        (type, requirements) -> registration != null && WorkerEligibility
                                .evaluate(registration, type, requirements).isEligible(),
                        leaseMillis)
                .subscribe().with(attempt -> {
                    emptyClaims.claimEnded(workerId, registration, snapshot, attempt.sawPending(),
                            attempt.claimed().isPresent());
                    afterClaim(receiver, attempt.claimed(), onError);
                }, error -> {
                    emptyClaims.claimFailed(workerId, skills);
                    claimFailed(receiver, error, onError);
                });
    }

    private void afterClaim(TaskReceiver receiver, Optional<ClaimedTask> claimed, Consumer<Throwable> onError) {
        boolean again = receiver.claimFinished(claimed);
        claimed.ifPresent(this::recordDispatch);
        if (again) {
            lookForWork(receiver, onError);
        }
    }

    private static void claimFailed(TaskReceiver receiver, Throwable error, Consumer<Throwable> onError) {
        Log.errorf(error, "dispatch for worker %s failed", receiver.workerId());
        onError.accept(error);
        receiver.claimFinished(Optional.empty());
    }

    /** The claim itself stored {@code task_dispatched} (TaskClaims), and has committed. */
    private void recordDispatch(ClaimedTask claimed) {
        metrics.dispatched(claimed.queuedMillis());
        commits.committed(claimed.dispatched());
    }

    private boolean eligible(String workerId, String type, Requirements requirements) {
        return registry.find(workerId)
                .filter(state -> state.skillNames().contains(type))
                .filter(state -> !WorkerStatus.DRAINING.is(state.status()))
                .filter(state -> WorkerEligibility.evaluate(state.registration(), type, requirements).isEligible())
                .isPresent();
    }
}
