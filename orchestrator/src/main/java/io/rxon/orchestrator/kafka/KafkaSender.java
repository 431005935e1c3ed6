package io.rxon.orchestrator.kafka;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends records to the job events topic through the {@value #CHANNEL} channel (SmallRye Kafka
 * connector: idempotent producer, {@code acks=all}). Only the relay uses it, and only with Kafka
 * on: the channel is disabled otherwise, and this bean is never created.
 */
@ApplicationScoped
public class KafkaSender {

    public static final String CHANNEL = "kafka-job-events";

    /** Above the largest relay batch: a round's records all wait in the emitter at once. */
    static final int MAX_BATCH = 1_000;

    private final MutinyEmitter<String> emitter;

    public KafkaSender(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * MAX_BATCH)
            MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /**
     * Sends the records in this order (a job's records keep it: same key, same partition) and
     * completes once Kafka has acknowledged every one, or fails if any was not.
     */
    public Uni<Void> send(List<EventRecord> records) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        for (EventRecord record : records) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            Message<String> message = Message.of(record.toJson())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.jobId()).build())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        ack.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    });
            emitter.sendMessageAndForget(message);
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
    }
}
