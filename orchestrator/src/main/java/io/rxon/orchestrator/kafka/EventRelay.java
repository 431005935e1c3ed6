package io.rxon.orchestrator.kafka;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.db.TickFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The outbox relay: copies stored job events ({@code job_events}, the truth) to the Kafka topic,
 * in the order they became visible, and never from a transaction that rolled back. One replica
 * relays at a time (a lease in {@code event_relays}); it resumes from the stored position after a
 * Kafka outage, a restart or a take-over, so a committed event is never lost, though one may be
 * sent twice (consumers tell by {@code event_id}). Nothing on the job path waits for it.
 */
@ApplicationScoped
public class EventRelay {

    private final KafkaSwitch kafka;
    private final RelayStatements statements;
    private final Instance<KafkaSender> sender;
    private final Clock clock;
    private final Vertx vertx;
    private final Duration interval;
    private final String topic;
    private final String owner;
    private final Duration lease;
    private final Duration gapTimeout;
    private final int batch;
    private final AtomicBoolean running = new AtomicBoolean();
    private final TickFailures leaseFailures = new TickFailures("claiming the Kafka relay's lease");
    private final TickFailures relayFailures = new TickFailures("relaying job events to Kafka");
    private volatile RelayWindow window;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile long renewAt;
    private long timer = -1;

    public EventRelay(KafkaSwitch kafka, RelayStatements statements, Instance<KafkaSender> sender, Clock clock,
            Vertx vertx, OrchestratorConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.application_name") String owner) {
        this.kafka = kafka;
        this.statements = statements;
        this.sender = sender;
        this.clock = clock;
        this.vertx = vertx;
        this.interval = config.kafka().relayInterval();
        this.topic = config.kafka().topic();
        this.owner = owner;
        this.lease = config.kafka().relayLease();
        this.gapTimeout = config.kafka().gapTimeout();
        this.batch = Math.min(config.kafka().relayBatch(), KafkaSender.MAX_BATCH);
    }

    /** Whether this replica relays now. */
    public boolean relaying() {
        return window != null;
    }

    /** A Vert.x timer rather than the scheduler, whose periods start at a second: an event waits at most an interval. */
    void start(@Observes StartupEvent startup) {
        if (kafka.on()) {
            timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
        }
    }

    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        // The lease is renewed here even while a round waits on Kafka, so an outage moves no lease.
        Uni<Void> leased = window != null && clock.millis() < renewAt ? Uni.createFrom().voidItem() : claim();
        leased.subscribe().with(held -> {
            ticking.set(false);
            leaseFailures.succeeded();
            startRound();
        }, error -> {
            ticking.set(false);
            leaseFailures.failed(error);
        });
    }

    private Uni<Void> claim() {
        long asked = clock.millis();
        return statements.claim(topic, owner, lease).invoke(position -> held(position, asked)).replaceWithVoid();
    }

    private void held(OptionalLong position, long asked) {
        if (position.isEmpty()) {
            if (window != null) {
                Log.infof("another orchestrator relays job events to Kafka topic %s now", topic);
            }
            window = null;
            return;
        }
        if (window == null) {
            Log.infof("relaying job events to Kafka topic %s from event %d", topic, position.getAsLong());
            window = new RelayWindow(position.getAsLong());
        }
        renewAt = asked + lease.toMillis() / 3;
    }

    private void startRound() {
        if (window != null && running.compareAndSet(false, true)) {
            rounds(window).subscribe().with(done -> {
                running.set(false);
                relayFailures.succeeded();
            }, error -> {
                running.set(false);
                relayFailures.failed(error);
            });
        }
    }

    /** Relays batch after batch while they come full; on failure nothing is marked sent, so the next round resends. */
    private Uni<Void> rounds(RelayWindow current) {
        return statements.events(current.highest(), current.gaps(), batch)
                .call(stored -> stored.isEmpty() ? Uni.createFrom().voidItem()
                        : sender.get().send(stored.stream().map(RelayStatements.Stored::record).toList()))
                .call(stored -> settle(current, stored))
                .chain(stored -> stored.size() >= batch && window == current ? rounds(current)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> settle(RelayWindow current, List<RelayStatements.Stored> stored) {
        long before = current.position();
        long now = clock.millis();
        current.sent(stored.stream().map(RelayStatements.Stored::seq).toList(), now);
        int expired = current.expire(now - gapTimeout.toMillis());
        if (expired > 0) {
            Log.debugf("%d job event numbers never committed within %s: taken as rolled back", expired, gapTimeout);
        }
        if (current.position() == before) {
            return Uni.createFrom().voidItem();
        }
        return statements.save(topic, owner, current.position(), lease).invoke(ours -> {
            if (!ours && window == current) {
                Log.infof("the Kafka relay's lease for %s was taken over; stopping here", topic);
                window = null;
            } else {
                renewAt = now + lease.toMillis() / 3;
            }
        }).replaceWithVoid();
    }

    /** Hands the lease over at once instead of after its expiry. */
    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (window == null) {
            return;
        }
        window = null;
        try {
            statements.release(topic, owner).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            Log.debugf("cannot release the Kafka relay's lease (it expires by itself): %s", e.getMessage());
        }
    }
}
