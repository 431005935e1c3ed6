package io.rxon.orchestrator.cluster;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database as the orchestrators' shared nervous system ({@code LISTEN/NOTIFY}; the sending
 * side is {@link ClusterBroadcast}), turned into CDI events for whoever cares:
 * {@value ClusterBroadcast#TASKS} into {@link PeerTasksQueued} (dispatch offers them to workers
 * parked here), {@value ClusterBroadcast#EVENTS} into {@link PeerEventsStored} (the event bus:
 * SSE; their webhooks are the storing instance's), the worker channels into {@link WorkerChannels}'
 * events. {@value ClusterBroadcast#PEERS}: another orchestrator started.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private final Vertx vertx;
    private final Pool pool;
    private final Event<PeerTasksQueued> tasksQueued;
    private final Event<PeerEventsStored> eventsStored;
    private final ClusterBroadcast broadcast;
    private final WorkerChannels workers;
    private final PgConnectOptions options;
    private final String instance;
    private PgSubscriber subscriber;

    public DatabaseNotifications(Vertx vertx, Pool pool, Event<PeerTasksQueued> tasksQueued,
            Event<PeerEventsStored> eventsStored, ClusterBroadcast broadcast, WorkerChannels workers,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.pool = pool;
        this.tasksQueued = tasksQueued;
        this.eventsStored = eventsStored;
        this.broadcast = broadcast;
        this.workers = workers;
        this.instance = broadcast.instance();
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(username).setPassword(password);
        this.options.getProperties().put("application_name", instance + "-listener");
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(ClusterBroadcast.TASKS).handler(this::onTasks);
        subscriber.channel(ClusterBroadcast.EVENTS).handler(this::onEvents);
        subscriber.channel(ClusterBroadcast.PEERS).handler(broadcast::peerStarted);
        subscriber.channel(ClusterBroadcast.WORKERS).handler(workers::onWorkers);
        subscriber.channel(ClusterBroadcast.SOCKETS).handler(workers::onSockets);
        subscriber.channel(ClusterBroadcast.COMMANDS).handler(workers::onCommands);
        subscriber.connect().await().indefinitely();
        pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(ClusterBroadcast.PEERS, instance))
                .await().indefinitely();
        Log.debugf("listening as %s", instance);
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** {@code <application_name> <task id>,…}: our own tasks were offered when we queued them. */
    void onTasks(String payload) {
        List<String> ids = othersIds(payload);
        if (!ids.isEmpty()) {
            tasksQueued.fire(new PeerTasksQueued(ids));
        }
    }

    /** {@code <application_name> <event id>,…}: our own events were published when we committed them. */
    void onEvents(String payload) {
        List<String> ids = othersIds(payload);
        if (!ids.isEmpty()) {
            eventsStored.fire(new PeerEventsStored(ids));
        }
    }

    /** The ids of a notification from another orchestrator; none for our own or a malformed one. */
    private List<String> othersIds(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(instance)) {
            return List.of();
        }
        return List.of(payload.substring(space + 1).split(","));
    }
}
