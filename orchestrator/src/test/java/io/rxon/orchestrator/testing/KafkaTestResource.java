package io.rxon.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rxon.testsupport.KafkaBroker;
import java.util.Map;

/**
 * Kafka on, as {@code RXON_KAFKA_BOOTSTRAP_SERVERS} switches it on: the test run's broker
 * ({@link KafkaBroker#shared()}, started once, stopped when the JVM ends) and the channels enabled.
 * Only for the classes that name it (restrictToAnnotatedClass): every other test runs without Kafka.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String servers = KafkaBroker.shared().bootstrapServers();
        return Map.of(
                "rxon.orchestrator.kafka.bootstrap-servers", servers,
                "kafka.bootstrap.servers", servers,
                "rxon.orchestrator.kafka.relay-interval", "50ms",
                "mp.messaging.outgoing.kafka-job-events.enabled", "true",
                "mp.messaging.incoming.kafka-sse.enabled", "true",
                "mp.messaging.incoming.kafka-webhooks.enabled", "true");
    }

    @Override
    public void stop() {
        // The broker serves the whole test run; its shutdown hook stops it.
    }
}
