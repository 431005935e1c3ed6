package io.rxon.orchestrator.job;

import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.protocol.CancelNotifier;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.db.TickFailures;
import io.rxon.orchestrator.job.JobService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * At-least-once delivery: tasks whose lease ran out (their worker went silent) are marked expired
 * and their jobs retried or quarantined; jobs past their own deadline fail. Each step is a
 * conditional update or a locked read, so several orchestrators can sweep the same database.
 */
@ApplicationScoped
public class LeaseSweeper {

    static final int BATCH = 200;

    private static final String EXPIRE_LEASES = """
            UPDATE tasks SET status = 'expired', finished_at = $1
            WHERE id IN (SELECT id FROM tasks WHERE status = 'assigned' AND lease_expires_at < $1
                         LIMIT $2 FOR UPDATE SKIP LOCKED)""";

    private static final String JOBS_WITH_EXPIRED_TASK = """
            SELECT j.id FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.current_task_id = t.id
            WHERE t.status = 'expired' AND j.status IN ('running', 'waiting_for_worker')
            LIMIT $1""";

    private static final String JOBS_PAST_DEADLINE = """
            SELECT id FROM jobs
            WHERE deadline_at < $1 AND status NOT IN ('finished', 'failed', 'cancelled', 'quarantined')
            LIMIT $2""";

    private final Pool pool;
    private final JobService jobs;
    private final Dispatcher dispatcher;
    private final CancelNotifier cancels;
    private final Clock clock;
    private final TickFailures failures = new TickFailures("lease sweep");

    public LeaseSweeper(Pool pool, JobService jobs, Dispatcher dispatcher, CancelNotifier cancels, Clock clock) {
        this.pool = pool;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.cancels = cancels;
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
        return pool.preparedQuery(EXPIRE_LEASES).execute(Tuple.of(now, BATCH))
                .chain(expired -> ids(JOBS_WITH_EXPIRED_TASK, Tuple.of(BATCH)))
                .chain(jobIds -> Multi.createFrom().iterable(jobIds)
                        .onItem().transformToUniAndConcatenate(jobs::recoverExpired)
                        .invoke(retry -> retry.ifPresent(dispatcher::offer))
                        .collect().asList().map(List::size))
                .chain(recovered -> ids(JOBS_PAST_DEADLINE, Tuple.of(now, BATCH))
                        .chain(jobIds -> Multi.createFrom().iterable(jobIds)
                                .onItem().transformToUniAndConcatenate(jobs::expireDeadline)
                                .invoke(task -> task.ifPresent(cancels::notifyWorker))
                                .collect().asList().map(failed -> recovered + failed.size())));
    }

    private Uni<List<String>> ids(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments).map(rows -> {
            List<String> ids = new ArrayList<>();
            for (Row row : rows) {
                ids.add(row.getString("id"));
            }
            return ids;
        });
    }
}
