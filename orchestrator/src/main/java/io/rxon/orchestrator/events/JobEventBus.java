package io.rxon.orchestrator.events;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Carries stored job events through the {@value #CHANNEL} messaging channel (in-memory by
 * default; a broker connector when several orchestrators run) to live subscribers such as SSE
 * streams and webhooks.
 */
@ApplicationScoped
public class JobEventBus {

    public static final String CHANNEL = "job-events";

    /** Lifecycle events after which a job's stream ends. */
    public static final Set<String> TERMINAL_TYPES = Set.of("job_finished", "job_failed", "job_cancelled",
            "job_quarantined");

    private final MutinyEmitter<JobEvent> emitter;
    private final BroadcastProcessor<JobEvent> live = BroadcastProcessor.create();

    public JobEventBus(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
            MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

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
