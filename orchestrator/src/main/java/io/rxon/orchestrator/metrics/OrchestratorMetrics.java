package io.rxon.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The orchestrator's Prometheus metrics: queued and running tasks per task type (read from the
 * database, so every replica reports the cluster's truth: the autoscaling signal), dispatch
 * latency, connected and live workers, refused worker requests, webhook calls by outcome.
 */
@ApplicationScoped
public class OrchestratorMetrics {

    private static final String QUEUE_DEPTH = """
            SELECT type, status, count(*) AS n FROM tasks
            WHERE status IN ('pending', 'assigned') GROUP BY type, status""";

    private final Pool pool;
    private final MultiGauge queued;
    private final MultiGauge running;
    private final Timer dispatchLatency;
    private final MeterRegistry registry;
    private volatile long nextCountNanos = System.nanoTime();

    public OrchestratorMetrics(MeterRegistry registry, Pool pool, Dispatcher dispatcher, WorkerRegistry workers,
            Clock clock) {
        this.registry = registry;
        this.pool = pool;
        this.queued = MultiGauge.builder("rxon_tasks_queued")
                .description("Tasks waiting for a worker, per task type").register(registry);
        this.running = MultiGauge.builder("rxon_tasks_running")
                .description("Tasks handed to a worker and not finished, per task type").register(registry);
        this.dispatchLatency = Timer.builder("rxon_dispatch_latency")
                .description("Time from a task becoming pending to a worker claiming it")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("rxon_workers_waiting", dispatcher, d -> d.parkedPolls() + d.pushSockets())
                .description("Workers connected and waiting for work (parked polls and push sockets)")
                .register(registry);
        FunctionCounter.builder("rxon_dispatch_claim_queries", dispatcher, Dispatcher::claimQueries)
                .description("Claim transactions run for polls and push credits").register(registry);
        FunctionCounter.builder("rxon_dispatch_claim_queries_skipped", dispatcher, Dispatcher::claimQueriesSkipped)
                .description("Polls and push credits parked without a claim transaction (nothing offered since"
                        + " the worker's last empty one)").register(registry);
        Gauge.builder("rxon_workers_alive", workers, w -> w.all().stream()
                        .filter(state -> state.isAlive(clock.millis(), Duration.ofMinutes(1).toMillis())).count())
                .description("Registered workers heard from in the last minute").register(registry);
    }

    public void dispatched(long queuedMillis) {
        dispatchLatency.record(Duration.ofMillis(Math.max(0, queuedMillis)));
    }

    public void refused(int status) {
        Counter.builder("rxon_worker_auth_failures").tag("status", Integer.toString(status))
                .description("Worker requests refused for credentials or zero-trust checks").register(registry)
                .increment();
    }

    /** One webhook call ended: {@code delivered}, {@code failed} (after its last attempt) or {@code refused}. */
    public void webhookCall(String outcome) {
        Counter.builder("rxon_webhook_calls").tag("outcome", outcome)
                .description("Webhook calls by outcome; refused ones reached for an internal address").register(registry)
                .increment();
    }

    /**
     * Counting the queue reads every pending and running task (160 ms with a million pending), so a
     * count that took long is not repeated before 50 times its duration has passed: the gauges
     * never cost more than 2 % of a core, however deep the queue, and stay fresh while it is short.
     */
    @Scheduled(every = "${rxon.orchestrator.metrics-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshQueueDepth() {
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
                ("pending".equals(row.getString("status")) ? pending : assigned).add(gauge);
            }
            queued.register(pending, true);
            running.register(assigned, true);
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
