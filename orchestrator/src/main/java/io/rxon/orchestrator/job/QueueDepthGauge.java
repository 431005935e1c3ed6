package io.rxon.orchestrator.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Queued and running tasks per task type, read from the database, so every replica reports the
 * cluster's truth: the autoscaling signal.
 */
@ApplicationScoped
public class QueueDepthGauge {

    private static final String QUEUE_DEPTH = StatusSql.of("""
            SELECT type, status, count(*) AS n FROM tasks
            WHERE status IN ({task:pending}, {task:assigned}) GROUP BY type, status""");

    private final Pool pool;
    private final MultiGauge queued;
    private final MultiGauge running;
    private volatile long nextCountNanos = System.nanoTime();

    public QueueDepthGauge(MeterRegistry registry, Pool pool) {
        this.pool = pool;
        this.queued = MultiGauge.builder("rxon_tasks_queued")
                .description("Tasks waiting for a worker, per task type").register(registry);
        this.running = MultiGauge.builder("rxon_tasks_running")
                .description("Tasks handed to a worker and not finished, per task type").register(registry);
    }

    /**
     * Counting the queue reads every pending and running task (160 ms with a million pending), so a
     * count that took long is not repeated before 50 times its duration has passed: the gauges
     * never cost more than 2 % of a core, however deep the queue, and stay fresh while it is short.
     */
    @Scheduled(every = "${rxon.orchestrator.metrics-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        long started = System.nanoTime();
        if (started - nextCountNanos < 0) {
            return Uni.createFrom().voidItem();
        }
        return pool.query(QUEUE_DEPTH).execute().invoke(rows -> {
            nextCountNanos = started + 51 * (System.nanoTime() - started);
            List<MultiGauge.Row<?>> pending = new ArrayList<>();
            List<MultiGauge.Row<?>> assigned = new ArrayList<>();
            for (Row row : rows) {
                MultiGauge.Row<?> gauge = MultiGauge.Row.of(Tags.of("type", row.getString("type")), row.getLong("n"));
                (TaskStatus.PENDING.column().equals(row.getString("status")) ? pending : assigned).add(gauge);
            }
            queued.register(pending, true);
            running.register(assigned, true);
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
