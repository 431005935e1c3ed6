package io.rxon.orchestrator.dispatch;

import io.quarkus.logging.Log;
import io.rxon.common.matching.Requirements;
import io.rxon.common.matching.WorkerEligibility;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.orchestrator.job.ClaimedTask;
import io.rxon.orchestrator.job.JobCommits;
import io.rxon.orchestrator.job.PendingTask;
import io.rxon.orchestrator.job.TaskClaims;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Finds work for {@link TaskReceiver}s, the claim side of the {@link Dispatcher}: a receiver that
 * asks looks in the queue (unless {@link EmptyClaims} knows it would find nothing) and otherwise
 * waits in the {@link ReceiverIndex}; a task that just became pending is offered to the waiting
 * receivers that match it. Database claims decide every race, so a task reaches exactly one worker.
 */
final class WorkFinder {

    /** For claims nobody waits on (offers, credits): failures are logged by {@link #claimFailed} alone. */
    static final Consumer<Throwable> IGNORE = error -> { };

    private final ReceiverIndex waiting = new ReceiverIndex();
    private final LongAdder claimQueries = new LongAdder();
    private final LongAdder claimQueriesSkipped = new LongAdder();
    private final EmptyClaims emptyClaims;
    private final TaskClaims claims;
    private final WorkerRegistry registry;
    private final JobCommits commits;
    private final OrchestratorMetrics metrics;
    private final Clock clock;
    private final long leaseMillis;

    WorkFinder(TaskClaims claims, WorkerRegistry registry, JobCommits commits, OrchestratorMetrics metrics,
            Clock clock, long emptyClaimTrustMillis, long leaseMillis) {
        this.claims = claims;
        this.registry = registry;
        this.commits = commits;
        this.metrics = metrics;
        this.clock = clock;
        this.emptyClaims = new EmptyClaims(emptyClaimTrustMillis);
        this.leaseMillis = leaseMillis;
    }

    /** A receiver is ready for offers (a push socket before its first credit). */
    void place(TaskReceiver receiver) {
        waiting.place(receiver, registry.find(receiver.workerId()));
    }

    /** A receiver takes no more offers. */
    void remove(TaskReceiver receiver) {
        waiting.remove(receiver);
    }

    /**
     * Offers a task that just became pending to the waiting workers that match it: hot workers
     * first, from a random one on, the first eligible one that can start a claim gets it. Only a
     * task that no waiting worker takes raises its type's pending generation ({@link EmptyClaims}):
     * one that is handed over at once is no news to anyone else, so the busy workers' next polls
     * (below saturation, one per job) need not ask the database again. A claim of the offered
     * task that finds it gone means another claim took it; one that fails leaves it pending.
     */
    void offer(PendingTask task) {
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
    void reindexChangedWorkers() {
        for (TaskReceiver receiver : waiting.reconcile(registry::find)) {
            if (receiver.tryStartClaim()) {
                lookForWork(receiver, IGNORE);
            }
        }
    }

    /** The receiver claims from the queue, or waits for an offer when there is nothing for it. */
    void lookForWork(TaskReceiver receiver, Consumer<Throwable> onError) {
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

    long claimQueries() {
        return claimQueries.sum();
    }

    long claimQueriesSkipped() {
        return claimQueriesSkipped.sum();
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
