package io.rxon.orchestrator.dispatch;

import io.quarkus.logging.Log;
import io.rxon.common.matching.Requirements;
import io.rxon.common.matching.WorkerEligibility;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.cluster.ClusterBroadcast;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * the waiting workers that match it. Database claims decide every race, so a task reaches exactly
 * one worker.
 */
@ApplicationScoped
public class Dispatcher {

    /** For claims nobody waits on (offers, credits): failures are logged by {@link #claimFailed} alone. */
    private static final Consumer<Throwable> IGNORE = error -> { };

    private final ConcurrentMap<String, TaskReceiver> polls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TaskReceiver> sockets = new ConcurrentHashMap<>();
    private final TaskClaims claims;
    private final ClusterBroadcast broadcast;
    private final OrchestratorMetrics metrics;
    private final WorkerRegistry registry;
    private final Vertx vertx;
    private final long leaseMillis;
    private final Duration maxPollTimeout;

    public Dispatcher(TaskClaims claims, WorkerRegistry registry, ClusterBroadcast broadcast,
            OrchestratorMetrics metrics, Vertx vertx, OrchestratorConfig config) {
        this.claims = claims;
        this.metrics = metrics;
        this.broadcast = broadcast;
        this.registry = registry;
        this.vertx = vertx;
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
        }
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> receiver.close());
        lookForWork(receiver, error -> outcome.completeExceptionally(error));
        return Uni.createFrom().completionStage(outcome)
                .onCancellation().invoke(receiver::close)
                .onTermination().invoke(() -> {
                    vertx.cancelTimer(timer);
                    polls.remove(workerId, receiver);
                });
    }

    /** A push socket opened: tasks claimed for it go to {@code delivery}. Returns the handle for credits. */
    public PushHandle openPush(String workerId, Consumer<ClaimedTask> delivery) {
        TaskReceiver receiver = TaskReceiver.socket(workerId, delivery);
        TaskReceiver previous = sockets.put(workerId, receiver);
        if (previous != null) {
            previous.close();
        }
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
        }
    }

    /** Offers a task that just became pending to the waiting workers that match it. */
    public void offer(PendingTask task) {
        List<TaskReceiver> candidates = new ArrayList<>();
        for (Map<String, TaskReceiver> receivers : List.of(sockets, polls)) {
            for (TaskReceiver receiver : receivers.values()) {
                if (receiver.accepts(task.type()) && eligible(receiver.workerId(), task.type(), task.requirements())) {
                    candidates.add(receiver);
                }
            }
        }
        Collections.shuffle(candidates);
        candidates.sort((a, b) -> Boolean.compare(isHot(b, task.type()), isHot(a, task.type())));
        offer(task, candidates.iterator());
    }

    /** Waiting long-polls and open push sockets (gauges). */
    public int parkedPolls() {
        return polls.size();
    }

    public int pushSockets() {
        return sockets.size();
    }

    private void offer(PendingTask task, Iterator<TaskReceiver> candidates) {
        while (candidates.hasNext()) {
            TaskReceiver receiver = candidates.next();
            if (receiver.tryStartClaim()) {
                claims.claim(task.taskId(), receiver.workerId(), leaseMillis).subscribe().with(
                        claimed -> afterClaim(receiver, claimed, IGNORE),
                        error -> claimFailed(receiver, error, IGNORE));
                return;
            }
        }
    }

    private void lookForWork(TaskReceiver receiver, Consumer<Throwable> onError) {
        Optional<WorkerState> worker = registry.find(receiver.workerId());
        List<String> skills = worker.filter(state -> !Protocol.WORKER_DRAINING.equals(state.status()))
                .map(state -> state.skillNames().stream().filter(receiver::accepts).toList()).orElse(List.of());
        claims.claimNext(receiver.workerId(), skills,
                        (type, requirements) -> worker.isPresent() && WorkerEligibility
                                .evaluate(worker.get().registration(), type, requirements).isEligible(),
                        leaseMillis)
                .subscribe().with(claimed -> afterClaim(receiver, claimed, onError),
                        error -> claimFailed(receiver, error, onError));
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
        broadcast.committed(claimed.dispatched());
    }

    private boolean eligible(String workerId, String type, Requirements requirements) {
        return registry.find(workerId)
                .filter(state -> state.skillNames().contains(type))
                .filter(state -> !Protocol.WORKER_DRAINING.equals(state.status()))
                .filter(state -> WorkerEligibility.evaluate(state.registration(), type, requirements).isEligible())
                .isPresent();
    }

    private boolean isHot(TaskReceiver receiver, String type) {
        return registry.find(receiver.workerId())
                .map(state -> state.registration().hotSkills() != null
                        && state.registration().hotSkills().contains(type))
                .orElse(false);
    }
}
