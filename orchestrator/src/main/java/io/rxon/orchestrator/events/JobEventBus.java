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
 * live subscribers (SSE streams) and, for events stored by this instance, to {@link #storedHere()}
 * (webhooks: each event's webhook is called by the instance that stored it). Events of
 * other orchestrators arrive through the database's notifications, so every replica's SSE
 * clients see every event without a broker.
 */
@ApplicationScoped
public class JobEventBus {

    public static final String CHANNEL = "job-events";

    /** A committed event; {@code local} when this orchestrator stored it (and so owns its webhook). */
    public record Published(JobEvent event, boolean local) {}

    private final MutinyEmitter<Published> emitter;
    private final BroadcastProcessor<JobEvent> live = BroadcastProcessor.create();
    private final BroadcastProcessor<JobEvent> local = BroadcastProcessor.create();

    public JobEventBus(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
            MutinyEmitter<Published> emitter) {
        this.emitter = emitter;
    }

    public void publish(JobEvent event, boolean local) {
        emitter.sendAndForget(new Published(event, local));
    }

    @Incoming(CHANNEL)
    void deliver(Published published) {
        JobEvent event = published.event();
        Log.debugf("job %s event %s", event.jobId(), event.type());
        live.onNext(event);
        if (published.local()) {
            local.onNext(event);
        }
    }

    /** Every event this instance stored, from now on (hot stream). */
    public Multi<JobEvent> storedHere() {
        return local;
    }

    /** Every event published from now on (hot stream). */
    public Multi<JobEvent> stream() {
        return live;
    }
}
