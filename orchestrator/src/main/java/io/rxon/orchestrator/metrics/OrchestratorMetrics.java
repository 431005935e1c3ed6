package io.rxon.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The orchestrator's own Prometheus meters that every layer may record to: dispatch latency,
 * refused worker requests, webhook calls by outcome. Gauges that read a component's state are
 * registered by that component (dispatch/DispatchGauges, job/QueueDepthGauge,
 * worker/WorkerGauges), so this class depends on nothing of the orchestrator.
 */
@ApplicationScoped
public class OrchestratorMetrics {

    private final Timer dispatchLatency;
    private final MeterRegistry registry;

    public OrchestratorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.dispatchLatency = Timer.builder("rxon_dispatch_latency")
                .description("Time from a task becoming pending to a worker claiming it")
                .publishPercentileHistogram().register(registry);
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
}
