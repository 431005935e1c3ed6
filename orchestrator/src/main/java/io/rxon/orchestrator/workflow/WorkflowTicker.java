package io.rxon.orchestrator.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.db.TickFailures;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * What advances an instance without an event: timers that are due and sub-workflows waiting to
 * start. Both are rows in PostgreSQL, so any replica finds them after a crash; each is handled
 * in its own transaction with the workflow job locked, so two replicas never handle one twice.
 */
@ApplicationScoped
class WorkflowTicker {

    static final int BATCH = 100;

    /**
     * The status is a literal, not a parameter: the pool plans generically
     * ({@code plan_cache_mode}, application.properties), and only a literal lets such a plan use
     * the partial index {@code workflow_steps_due}.
     */
    private static final String DUE_STEPS = "status = '" + StepRecord.RUNNING + "' and dueAt <= ?1";

    private final WorkflowJobs jobs;
    private final Clock clock;
    private final TickFailures failures = new TickFailures("workflow tick");

    WorkflowTicker(WorkflowJobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    @Scheduled(every = "${rxon.orchestrator.workflows.tick-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return tickOnce().invoke(failures::succeeded).onFailure().invoke(failures::failed)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    Uni<Integer> tickOnce() {
        long now = clock.millis();
        Uni<List<WorkflowStepEntity>> due = Panache.withSession(() -> WorkflowStepEntity
                .<WorkflowStepEntity>find(DUE_STEPS, now).page(0, BATCH).list());
        Uni<List<WorkflowInstanceEntity>> waking = Panache.withSession(() -> WorkflowInstanceEntity
                .<WorkflowInstanceEntity>find("wakeAt <= ?1", now).page(0, BATCH).list());
        return due.chain(steps -> Multi.createFrom().iterable(steps)
                        .onItem().transformToUniAndConcatenate(step -> jobs.wake(step.jobId, step.id).replaceWith(1))
                        .collect().asList())
                .chain(timers -> waking.chain(instances -> Multi.createFrom().iterable(instances)
                        .onItem().transformToUniAndConcatenate(instance -> jobs.wake(instance.jobId, null).replaceWith(1))
                        .collect().asList()).map(started -> timers.size() + started.size()));
    }
}
