package io.rxon.orchestrator.events;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Carries committed job events through the {@value #CHANNEL} messaging channel (in-memory) to
 * live subscribers (SSE streams). Events of
 * other orchestrators arrive through the database's notifications, so every replica's SSE
 * clients see every event without a broker; with Kafka on they arrive from the topic instead
 * (kafka/KafkaSseFeed).
 */
@ApplicationScoped
public class JobEventBus {

    public static final String CHANNEL = "job-events";

    private final MutinyEmitter<JobEvent> emitter;
    private final BroadcastProcessor<JobEvent> live = BroadcastProcessor.create();

    public JobEventBus(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
            MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

    /** A committed event, stored by this orchestrator or by another one. */
    public void publish(JobEvent event) {
        emitter.sendAndForget(event);
    }

    @Incoming(CHANNEL)
    void deliver(JobEvent event) {
        Log.debugf("job %s event %s", event.jobId(), event.type());
        live.onNext(event);
    }

    /** Every event published from now on (hot stream). */
    public Multi<JobEvent> stream() {
        return live;
    }
}
