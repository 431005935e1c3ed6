package io.rxon.orchestrator.kafka;

import io.quarkus.logging.Log;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.events.JobEventBus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * With Kafka on, feeds this replica's event bus (its SSE streams) from the topic, in a consumer
 * group of its own ({@code rxon-sse-<instance>}, from the records sent since shortly before it
 * started, {@link SseStartOffsets}: a stream's history comes from the database). Events this
 * replica committed itself are on its bus at once; their copy from the topic, like any record sent
 * twice, is recognised by event id and dropped.
 */
@ApplicationScoped
public class KafkaSseFeed {

    public static final String CHANNEL = "kafka-sse";

    /** Event ids remembered: far more than the events of the few seconds a record takes to come back. */
    static final int REMEMBERED = 65_536;

    private final JobEventBus bus;
    private final Map<String, Boolean> recent = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public KafkaSseFeed(JobEventBus bus) {
        this.bus = bus;
    }

    /** An event this replica committed: on the bus now, not again when it comes back from Kafka. */
    public void committed(JobEvent event) {
        if (firstSeen(event.eventId())) {
            bus.publish(event);
        }
    }

    @Incoming(CHANNEL)
    void received(String value) {
        EventRecord record = EventRecord.parse(value);
        if (record == null) {
            Log.debugf("ignoring a record on the job events topic that is not a job event: %.200s", value);
            return;
        }
        if (firstSeen(record.event().eventId())) {
            bus.publish(record.event());
        }
    }

    private boolean firstSeen(String eventId) {
        synchronized (recent) {
            return recent.put(eventId, Boolean.TRUE) == null;
        }
    }
}
