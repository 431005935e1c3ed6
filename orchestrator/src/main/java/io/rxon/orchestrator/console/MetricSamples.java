package io.rxon.orchestrator.console;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The last hour of queue depth and dispatch latency for the console's charts, sampled from the
 * orchestrator's own meters (the {@code rxon_tasks_queued} gauges, read from the database so they
 * count the whole cluster, and this replica's {@code rxon_dispatch_latency} timer) into a ring
 * buffer in memory: nothing is stored, and a restart begins a new hour.
 */
@ApplicationScoped
public class MetricSamples {

    /** One sample: queued tasks of all types, and the mean latency of the dispatches since the last one (null: none). */
    public record Sample(long at, double queued, Double latencyMillis) {}

    private static final long HOUR_MILLIS = 3_600_000;

    private final MeterRegistry registry;
    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Sample> samples;
    private long lastCount;
    private double lastTotalMillis;

    public MetricSamples(MeterRegistry registry, Clock clock, OrchestratorConfig config) {
        this.registry = registry;
        this.clock = clock;
        this.capacity = (int) Math.max(2, HOUR_MILLIS / Math.max(1, config.console().sampleInterval().toMillis()));
        this.samples = new ArrayDeque<>(capacity);
    }

    @Scheduled(every = "${rxon.orchestrator.console.sample-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        double queued = registry.find("rxon_tasks_queued").gauges().stream().mapToDouble(Gauge::value)
                .filter(Double::isFinite).sum();
        Timer latency = registry.find("rxon_dispatch_latency").timer();
        long count = latency == null ? 0 : latency.count();
        double total = latency == null ? 0 : latency.totalTime(TimeUnit.MILLISECONDS);
        record(new Sample(clock.millis(), queued,
                count > lastCount ? (total - lastTotalMillis) / (count - lastCount) : null), count, total);
    }

    private synchronized void record(Sample sample, long count, double totalMillis) {
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(sample);
        lastCount = count;
        lastTotalMillis = totalMillis;
    }

    /** The samples of the last hour, oldest first. */
    public synchronized List<Sample> lastHour() {
        long since = clock.millis() - HOUR_MILLIS;
        return samples.stream().filter(sample -> sample.at() >= since).toList();
    }
}
