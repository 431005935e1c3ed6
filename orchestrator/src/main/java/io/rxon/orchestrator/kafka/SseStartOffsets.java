package io.rxon.orchestrator.kafka;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where this replica's SSE feed starts reading each partition: at the records sent since shortly
 * before the replica started, not at the end as of whenever its consumer got the partition
 * (seconds later), so no event relayed meanwhile is missed. Copies read twice are dropped by
 * {@link KafkaSseFeed}.
 */
@ApplicationScoped
@Identifier(SseStartOffsets.NAME)
public class SseStartOffsets implements KafkaConsumerRebalanceListener {

    static final String NAME = "rxon-sse-start";

    /** Margin for the relay's latency and the clocks of brokers and replicas. */
    static final long MARGIN_MILLIS = 10_000;

    private final long from;
    private final Set<TopicPartition> started = new HashSet<>();

    public SseStartOffsets(Clock clock) {
        this.from = clock.millis() - MARGIN_MILLIS;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> query = new HashMap<>();
        synchronized (started) {
            for (TopicPartition partition : partitions) {
                if (started.add(partition)) {
                    query.put(partition, from);
                }
            }
        }
        if (query.isEmpty()) {
            return;
        }
        try {
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> offset : consumer.offsetsForTimes(query).entrySet()) {
                // No record since then: the end, where the consumer starts anyway (auto.offset.reset=latest).
                if (offset.getValue() != null) {
                    consumer.seek(offset.getKey(), offset.getValue().offset());
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("cannot find where the SSE feed should start on %s; it starts at the end: %s", query.keySet(),
                    e.getMessage());
        }
    }
}
