package io.rxon.orchestrator.job;

import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.db.TickFailures;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * At-least-once delivery: tasks whose lease ran out (their worker went silent) are marked expired
 * and their jobs retried or quarantined; jobs past their own deadline fail. Each step is a
 * conditional update or a locked read, so several orchestrators can sweep the same database; the
 * retries and cancellations it decides reach dispatch and workers through {@link JobCommits}.
 */
@ApplicationScoped
public class LeaseSweeper {

    static final int BATCH = 200;

    private final LeaseStatements statements;
    private final JobLifecycle lifecycle;
    private final Clock clock;
    private final TickFailures failures = new TickFailures("lease sweep");

    public LeaseSweeper(LeaseStatements statements, JobLifecycle lifecycle, Clock clock) {
        this.statements = statements;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @Scheduled(every = "${rxon.orchestrator.timing.sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepOnce().invoke(failures::succeeded).onFailure().invoke(failures::failed)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass; returns how many jobs it recovered or failed. */
    public Uni<Integer> sweepOnce() {
        long now = clock.millis();
        return statements.expireLeases(now, BATCH)
                .chain(() -> statements.jobsWithExpiredTask(BATCH))
                .chain(jobIds -> each(jobIds, lifecycle::recoverExpired))
                .chain(recovered -> statements.jobsPastDeadline(now, BATCH)
                        .chain(jobIds -> each(jobIds, lifecycle::expireDeadline))
                        .map(failed -> recovered + failed));
    }

    /** Runs {@code step} for each job, one after the other; counts the jobs it changed. */
    private static Uni<Integer> each(List<String> jobIds, Function<String, Uni<Boolean>> step) {
        return Multi.createFrom().iterable(jobIds).onItem().transformToUniAndConcatenate(step::apply)
                .filter(Boolean::booleanValue).collect().asList().map(List::size);
    }
}
