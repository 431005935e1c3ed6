package io.rxon.orchestrator.dispatch;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.cluster.PeerTasksQueued;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.job.ClaimedTask;
import io.rxon.orchestrator.job.JobCommits;
import io.rxon.orchestrator.job.PendingTask;
import io.rxon.orchestrator.job.TaskClaims;
import io.rxon.orchestrator.job.TasksQueued;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Hands tasks to workers within milliseconds of submission, with no polling interval. A worker
 * that asks for work (a long-poll, or credits on its push socket) first claims the most urgent
 * matching pending task from the database and otherwise waits; a newly pending task is offered to
 * the waiting workers that match it ({@link ReceiverIndex}) as soon as the lifecycle says it was
 * queued ({@link TasksQueued}, {@link PeerTasksQueued}). Database claims decide every race, so
 * a task reaches exactly one worker. A worker whose last claim found nothing, with nothing of its
 * skills offered since, waits without asking the database again ({@link EmptyClaims}). This class
 * keeps the workers' receivers (one long-poll, one push socket per worker); finding work for them
 * is the {@link WorkFinder}'s.
 */
@ApplicationScoped
public class Dispatcher {

    private final ConcurrentMap<String, TaskReceiver> polls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TaskReceiver> sockets = new ConcurrentHashMap<>();
    private final WorkFinder finder;
    private final TaskClaims claims;
    private final Vertx vertx;
    private final Duration maxPollTimeout;

    public Dispatcher(TaskClaims claims, WorkerRegistry registry, JobCommits commits,
            OrchestratorMetrics metrics, Vertx vertx, Clock clock, OrchestratorConfig config) {
        this.claims = claims;
        this.vertx = vertx;
        this.finder = new WorkFinder(claims, registry, commits, metrics, clock,
                config.timing().emptyClaimTrust().toMillis(), config.timing().livenessTimeout().toMillis());
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
            finder.remove(previous);
        }
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> receiver.close());
        finder.lookForWork(receiver, error -> outcome.completeExceptionally(error));
        return Uni.createFrom().completionStage(outcome)
                .onCancellation().invoke(receiver::close)
                .onTermination().invoke(() -> {
                    vertx.cancelTimer(timer);
                    polls.remove(workerId, receiver);
                    finder.remove(receiver);
                });
    }

    /** A push socket opened: tasks claimed for it go to {@code delivery}. Returns the handle for credits. */
    public PushHandle openPush(String workerId, Consumer<ClaimedTask> delivery) {
        TaskReceiver receiver = TaskReceiver.socket(workerId, delivery);
        TaskReceiver previous = sockets.put(workerId, receiver);
        if (previous != null) {
            previous.close();
            finder.remove(previous);
        }
        finder.place(receiver);
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
                finder.lookForWork(receiver, WorkFinder.IGNORE);
            }
        }

        public void close() {
            receiver.close();
            sockets.remove(receiver.workerId(), receiver);
            finder.remove(receiver);
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

    /** Offers a task that just became pending to the workers waiting here ({@link WorkFinder#offer}). */
    public void offer(PendingTask task) {
        finder.offer(task);
    }

    /**
     * Re-indexes waiting receivers whose worker registered again or changed its skills since they
     * were indexed, and lets each look for work once: a task of a new skill may have been offered
     * before the index knew.
     */
    @Scheduled(every = "${rxon.orchestrator.timing.sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reindexChangedWorkers() {
        finder.reindexChangedWorkers();
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
        return finder.claimQueries();
    }

    /** Polls and credits answered without a claim transaction, nothing having been offered since their worker's last empty one. */
    public long claimQueriesSkipped() {
        return finder.claimQueriesSkipped();
    }
}
