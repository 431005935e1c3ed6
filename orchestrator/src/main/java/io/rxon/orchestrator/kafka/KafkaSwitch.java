package io.rxon.orchestrator.kafka;

import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether job events travel through Kafka ({@code RXON_KAFKA_BOOTSTRAP_SERVERS} set). On, the
 * topic feeds every replica's SSE streams and the cluster's webhooks; off, the job lifecycle
 * publishes to its own bus and webhooks and tells its peers through PostgreSQL, as before Kafka.
 */
@ApplicationScoped
public class KafkaSwitch {

    /** The channel webhook delivery consumes, in the shared group {@code rxon.orchestrator.kafka.webhook-group}. */
    public static final String WEBHOOK_CHANNEL = "kafka-webhooks";

    private final boolean on;

    public KafkaSwitch(OrchestratorConfig config) {
        this.on = config.kafka().bootstrapServers().filter(servers -> !servers.isBlank()).isPresent();
    }

    public boolean on() {
        return on;
    }
}
