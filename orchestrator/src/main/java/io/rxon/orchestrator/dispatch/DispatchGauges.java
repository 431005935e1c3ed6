package io.rxon.orchestrator.dispatch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The dispatcher's Prometheus meters: waiting workers and claim statements run or skipped. */
@Startup
@ApplicationScoped
public class DispatchGauges {

    public DispatchGauges(MeterRegistry registry, Dispatcher dispatcher) {
        Gauge.builder("rxon_workers_waiting", dispatcher, d -> d.parkedPolls() + d.pushSockets())
                .description("Workers connected and waiting for work (parked polls and push sockets)")
                .register(registry);
        FunctionCounter.builder("rxon_dispatch_claim_queries", dispatcher, Dispatcher::claimQueries)
                .description("Claim transactions run for polls and push credits").register(registry);
        FunctionCounter.builder("rxon_dispatch_claim_queries_skipped", dispatcher, Dispatcher::claimQueriesSkipped)
                .description("Polls and push credits parked without a claim transaction (nothing offered since"
                        + " the worker's last empty one)").register(registry);
    }
}
