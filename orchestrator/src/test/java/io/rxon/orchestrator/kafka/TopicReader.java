package io.rxon.orchestrator.kafka;

import io.rxon.common.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** An outside consumer of the job events topic, as another system would be: reads every partition from the start. */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    TopicReader(String servers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls once and returns everything read so far. */
    List<ConsumerRecord<String, String>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }

    /** The values read so far, as JSON maps. */
    List<Map<String, Object>> values() {
        return records.stream().map(record -> (Map<String, Object>) Json.read(record.value(), Map.class)).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    static String eventId(ConsumerRecord<String, String> record) {
        return EventRecord.parse(record.value()).event().eventId();
    }

    static TopicPartition partition(ConsumerRecord<String, String> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
