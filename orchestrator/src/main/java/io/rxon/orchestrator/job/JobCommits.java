package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rxon.orchestrator.cluster.ClusterBroadcast;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.events.JobEventBus;
import io.rxon.orchestrator.kafka.KafkaSseFeed;
import io.rxon.orchestrator.kafka.KafkaSwitch;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.function.Function;

/**
 * The one after-commit hook of the job lifecycle. Once a transaction has committed, what it put
 * in its {@link Outbox} is told to everyone who cares: its events to the event bus (SSE) and to
 * their jobs' webhooks (each event's webhook is called by the instance that stored it), its ids to the other orchestrators ({@link ClusterBroadcast}), its newly pending
 * tasks as {@link TasksQueued} (dispatch), its cancellations as {@link CancelRequested} (the
 * worker's socket). Nothing rolled back is ever told.
 *
 * <p>With Kafka on ({@link KafkaSwitch}) the events go on this replica's bus alone: the relay takes
 * them from the database to the topic, which feeds the other replicas' buses and the webhooks.
 */
@ApplicationScoped
public class JobCommits {

    private final JobEventBus bus;
    private final ClusterBroadcast broadcast;
    private final Event<TasksQueued> tasksQueued;
    private final Event<CancelRequested> cancels;
    private final WebhookNotifier webhooks;
    private final KafkaSseFeed kafkaFeed;
    private final boolean kafka;

    public JobCommits(JobEventBus bus, ClusterBroadcast broadcast, Event<TasksQueued> tasksQueued,
            Event<CancelRequested> cancels, WebhookNotifier webhooks, KafkaSwitch kafka, KafkaSseFeed kafkaFeed) {
        this.webhooks = webhooks;
        this.kafka = kafka.on();
        this.kafkaFeed = kafkaFeed;
        this.bus = bus;
        this.broadcast = broadcast;
        this.tasksQueued = tasksQueued;
        this.cancels = cancels;
    }

    /** Runs {@code work} in one Hibernate Reactive transaction and publishes its outbox once that has committed. */
    public <T> Uni<T> inTransaction(Function<Outbox, Uni<T>> work) {
        Outbox outbox = new Outbox();
        return Panache.withTransaction(() -> work.apply(outbox)).invoke(() -> committed(outbox));
    }

    /** A statement outside {@link #inTransaction} (the hot path's) committed this. */
    public void committed(Outbox outbox) {
        for (JobEvent event : outbox.events()) {
            if (kafka) {
                kafkaFeed.committed(event);
                continue;
            }
            bus.publish(event);
            if (outbox.mayHaveWebhook(event.jobId())) {
                webhooks.notify(event);
            }
        }
        if (broadcast.hasPeers()) {
            broadcast.committed(kafka ? List.of() : outbox.events().stream().map(JobEvent::eventId).toList(),
                    outbox.queued().stream().map(PendingTask::taskId).toList());
        }
        if (!outbox.queued().isEmpty()) {
            tasksQueued.fire(new TasksQueued(List.copyOf(outbox.queued())));
        }
        outbox.cancels().forEach(cancels::fire);
    }

    public void committed(JobEvent event) {
        committed(new Outbox().add(event));
    }
}
