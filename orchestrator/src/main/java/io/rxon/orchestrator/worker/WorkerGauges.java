package io.rxon.orchestrator.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/** The fleet's Prometheus gauge: registered workers heard from in the last minute. */
@Startup
@ApplicationScoped
public class WorkerGauges {

    public WorkerGauges(MeterRegistry registry, WorkerRegistry workers, Clock clock) {
        Gauge.builder("rxon_workers_alive", workers, w -> w.all().stream()
                        .filter(state -> state.isAlive(clock.millis(), Duration.ofMinutes(1).toMillis())).count())
                .description("Registered workers heard from in the last minute").register(registry);
    }
}
