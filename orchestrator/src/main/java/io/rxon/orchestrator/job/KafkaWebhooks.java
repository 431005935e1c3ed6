package io.rxon.orchestrator.job;

import io.quarkus.logging.Log;
import io.rxon.orchestrator.kafka.EventRecord;
import io.rxon.orchestrator.kafka.KafkaSwitch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * With Kafka on, webhooks are called from the topic, by one replica per event cluster-wide (the
 * replicas share the consumer group {@code rxon.orchestrator.kafka.webhook-group}), whichever
 * replica stored it and even if that one has stopped since.
 */
@ApplicationScoped
public class KafkaWebhooks {

    private final WebhookNotifier webhooks;

    public KafkaWebhooks(WebhookNotifier webhooks) {
        this.webhooks = webhooks;
    }

    @Incoming(KafkaSwitch.WEBHOOK_CHANNEL)
    void received(String value) {
        EventRecord record = EventRecord.parse(value);
        if (record == null) {
            Log.debugf("ignoring a record on the job events topic that is not a job event: %.200s", value);
            return;
        }
        webhooks.notify(record.event());
    }
}
