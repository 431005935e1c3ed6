package io.rxon.orchestrator.cluster;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.rxon.orchestrator.db.TickFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tells the other orchestrators on the same database what this one committed, with
 * {@code NOTIFY} — only while there are any, batched, and carrying ids alone ({@code <application_name> <id>,<id>…}); they read the
 * rows back (DatabaseNotifications). A lone orchestrator sends no notification at all: a NOTIFY
 * makes its transaction take a database-wide lock at commit.
 *
 * <p>Another orchestrator is known from its listener connection ({@code <name>-listener} in
 * {@code pg_stat_activity}, counted every few seconds) and at once from the hello it sends on
 * {@value #PEERS} when it starts. A crash between a commit and its notification costs the others
 * only promptness: their parked workers find the task at their next poll.
 */
@ApplicationScoped
public class ClusterBroadcast {

    static final String TASKS = "rxon_tasks";
    static final String EVENTS = "rxon_events";
    static final String PEERS = "rxon_peers";
    static final String WORKERS = "rxon_workers";
    static final String SOCKETS = "rxon_sockets";
    static final String COMMANDS = "rxon_commands";

    /** Below PostgreSQL's 8,000-byte limit on a notification's payload. */
    static final int MAX_PAYLOAD = 7_900;

    private static final String OTHER_LISTENERS = """
            SELECT count(*) AS listeners FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE '%-listener' AND application_name <> $1""";

    private static final String NOTIFY = "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload";

    private final Pool pool;
    private final Vertx vertx;
    private final String instance;
    private final Queue<String> eventIds = new ConcurrentLinkedQueue<>();
    private final Queue<String> taskIds = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean peers;
    private final TickFailures peerCount = new TickFailures("counting the other orchestrators");

    public ClusterBroadcast(Pool pool, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.application_name")
                    String instance) {
        this.pool = pool;
        this.vertx = vertx;
        this.instance = instance;
    }

    /** The name this orchestrator's connections carry. */
    public String instance() {
        return instance;
    }

    /** The ids of the events and newly pending tasks of a transaction that has committed. */
    public void committed(List<String> committedEventIds, List<String> queuedTaskIds) {
        if (!peers) {
            return;
        }
        eventIds.addAll(committedEventIds);
        taskIds.addAll(queuedTaskIds);
        if (flushScheduled.compareAndSet(false, true)) {
            // A millisecond gathers what other event loops commit meanwhile into the same notification.
            vertx.setTimer(1, id -> flush());
        }
    }

    /** Whether other orchestrators are believed to listen. */
    public boolean hasPeers() {
        return peers;
    }

    /** Another orchestrator said hello: notify from now on, without waiting for the next count. */
    void peerStarted(String name) {
        if (!name.equals(instance)) {
            peers = true;
        }
    }

    @Scheduled(every = "${rxon.orchestrator.timing.peer-check-interval:5s}", delayed = "0s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> countPeers() {
        return pool.preparedQuery(OTHER_LISTENERS).execute(Tuple.of(instance + "-listener"))
                .invoke(rows -> peers = rows.iterator().next().getLong("listeners") > 0)
                .invoke(peerCount::succeeded)
                .onFailure().invoke(peerCount::failed)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void flush() {
        flushScheduled.set(false);
        List<String> events = payloads(eventIds);
        List<String> tasks = payloads(taskIds);
        send(EVENTS, events);
        send(TASKS, tasks);
    }

    /** Sends one notification at once, prefixed with our name, while there are peers (worker-level news is rare). */
    void notifyPeers(String channel, String payload) {
        if (peers) {
            send(channel, List.of(instance + " " + payload));
        }
    }

    private void send(String channel, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        pool.preparedQuery(NOTIFY).execute(Tuple.of(channel, payloads.toArray(String[]::new))).subscribe().with(
                sent -> { }, error -> Log.warnf(error, "cannot notify other orchestrators on %s", channel));
    }

    /** Drains ids into payloads of at most {@value #MAX_PAYLOAD} bytes (ids are ASCII). */
    List<String> payloads(Queue<String> ids) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (String id = ids.poll(); id != null; id = ids.poll()) {
            if (payload.length() > 0 && payload.length() + 1 + id.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(payload.length() == 0 ? instance + " " : ",").append(id);
        }
        if (payload.length() > 0) {
            payloads.add(payload.toString());
        }
        return payloads;
    }
}
