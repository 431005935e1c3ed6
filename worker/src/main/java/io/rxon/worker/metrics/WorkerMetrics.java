package io.rxon.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The worker's Micrometer meters (scraped at {@code /q/metrics} in Prometheus format): tasks run
 * and failed per skill, task duration, reconnects to the orchestrator, and gauges of running
 * tasks, free slots and undelivered results. Skill names come from this worker's catalogue only,
 * so an orchestrator cannot inflate tag cardinality with made-up task types.
 */
public final class WorkerMetrics {

    /** Tag value for tasks whose type is not one of this worker's skills. */
    public static final String UNKNOWN_SKILL = "unknown";

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters kept in memory only; for tests and embedded use. */
    public static WorkerMetrics inMemory() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * One finished task.
     *
     * @param status {@code success}, {@code failure}, {@code cancelled} or a custom status
     * @param errorCode the error code of a failure, else null
     */
    public void taskFinished(String skill, String status, String errorCode, Duration duration) {
        Counter.builder("rxon.worker.tasks").description("Tasks run, by skill and result status")
                .tag("skill", skill).tag("status", status).register(registry).increment();
        if (errorCode != null) {
            Counter.builder("rxon.worker.tasks.failed").description("Failed tasks, by skill and error code")
                    .tag("skill", skill).tag("code", errorCode).register(registry).increment();
        }
        Timer.builder("rxon.worker.task.duration").description("Time from task start to result")
                .tag("skill", skill).tag("status", status).register(registry).record(duration);
    }

    /**
     * Contact with the orchestrator restored after it was lost.
     *
     * @param channel {@code http} or {@code socket}
     */
    public void reconnected(String channel) {
        Counter.builder("rxon.worker.reconnects").description("Connections to the orchestrator restored after a loss")
                .tag("channel", channel).register(registry).increment();
    }

    /** Registers the live gauges; suppliers are read at scrape time. */
    public void gauges(Supplier<Number> runningTasks, Supplier<Number> freeSlots, Supplier<Number> pendingResults) {
        Gauge.builder("rxon.worker.tasks.running", runningTasks, s -> s.get().doubleValue())
                .description("Tasks running now").strongReference(true).register(registry);
        Gauge.builder("rxon.worker.slots.free", freeSlots, s -> s.get().doubleValue())
                .description("Slots free for new work").strongReference(true).register(registry);
        Gauge.builder("rxon.worker.results.pending", pendingResults, s -> s.get().doubleValue())
                .description("Results waiting to be acknowledged by the orchestrator").strongReference(true)
                .register(registry);
    }

    /**
     * The meters of one orchestrator link, tagged {@code orchestrator=<url>}: whether it is
     * connected (registered and heard from recently) and how many tasks it gave.
     */
    public void linkGauges(String orchestrator, BooleanSupplier connected, AtomicLong tasksTaken) {
        Gauge.builder("rxon.worker.orchestrator.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while this orchestrator is registered and answering, else 0")
                .tag("orchestrator", orchestrator).strongReference(true).register(registry);
        // the link holds the counter, so Micrometer's weak reference to it lives as long as the link
        FunctionCounter.builder("rxon.worker.orchestrator.tasks", tasksTaken, AtomicLong::get)
                .description("Tasks this orchestrator gave the worker")
                .tag("orchestrator", orchestrator).register(registry);
    }

    /** Count of a task counter, for tests and diagnostics. */
    public double tasks(String skill, String status) {
        Counter counter = registry.find("rxon.worker.tasks").tag("skill", skill).tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    public double reconnects(String channel) {
        Counter counter = registry.find("rxon.worker.reconnects").tag("channel", channel).counter();
        return counter == null ? 0 : counter.count();
    }
}
