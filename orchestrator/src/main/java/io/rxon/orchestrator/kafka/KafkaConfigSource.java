package io.rxon.orchestrator.kafka;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Switches the Kafka channels on exactly when {@code RXON_KAFKA_BOOTSTRAP_SERVERS} is set:
 * {@code application.properties} declares them disabled, so without Kafka no producer or consumer
 * is even created. Its ordinal sits above {@code application.properties} and below environment
 * variables and system properties, which still decide when given.
 */
public class KafkaConfigSource implements ConfigSource {

    static final Set<String> SWITCHES = Set.of(
            "mp.messaging.outgoing." + KafkaSender.CHANNEL + ".enabled",
            "mp.messaging.incoming." + KafkaSseFeed.CHANNEL + ".enabled",
            "mp.messaging.incoming." + KafkaSwitch.WEBHOOK_CHANNEL + ".enabled");

    @Override
    public Set<String> getPropertyNames() {
        return serversSet() ? SWITCHES : Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return SWITCHES.contains(propertyName) && serversSet() ? "true" : null;
    }

    @Override
    public Map<String, String> getProperties() {
        return serversSet() ? Map.of(
                "mp.messaging.outgoing." + KafkaSender.CHANNEL + ".enabled", "true",
                "mp.messaging.incoming." + KafkaSseFeed.CHANNEL + ".enabled", "true",
                "mp.messaging.incoming." + KafkaSwitch.WEBHOOK_CHANNEL + ".enabled", "true") : Map.of();
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "rxon-kafka";
    }

    static boolean serversSet() {
        String servers = System.getProperty("rxon.kafka.bootstrap.servers", System.getenv("RXON_KAFKA_BOOTSTRAP_SERVERS"));
        return servers != null && !servers.isBlank();
    }
}
