package io.rxon.orchestrator.cluster;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rxon.orchestrator.db.Jsonb;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.job.TaskClaims;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.events.JobEventBus;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database as the orchestrators' shared nervous system ({@code LISTEN/NOTIFY}; the sending
 * side is {@link ClusterBroadcast}). {@value ClusterBroadcast#TASKS}: tasks queued by another
 * orchestrator are offered at once to matching workers parked here. {@value ClusterBroadcast#EVENTS}:
 * job events another orchestrator stored go to the event bus (SSE; their webhooks are the storing
 * instance's). {@value ClusterBroadcast#PEERS}: another orchestrator started.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private static final String EVENTS_BY_ID = """
            SELECT event_id, job_id, task_id, worker_id, type, payload, created_at FROM job_events
            WHERE event_id = ANY($1) ORDER BY seq""";

    private final Vertx vertx;
    private final Dispatcher dispatcher;
    private final TaskClaims claims;
    private final Pool pool;
    private final JobEventBus bus;
    private final ClusterBroadcast broadcast;
    private final PgConnectOptions options;
    private final String instance;
    private PgSubscriber subscriber;

    public DatabaseNotifications(Vertx vertx, Dispatcher dispatcher, TaskClaims claims, Pool pool,
            JobEventBus bus, ClusterBroadcast broadcast,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.claims = claims;
        this.pool = pool;
        this.bus = bus;
        this.broadcast = broadcast;
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
        if (ids.isEmpty()) {
            return;
        }
        claims.pendingTasks(ids).subscribe().with(
                tasks -> tasks.forEach(dispatcher::offer),
                error -> Log.warnf(error, "cannot read tasks %s queued by another orchestrator", payload));
    }

    /** {@code <application_name> <event id>,…}: our own events were published when we committed them. */
    void onEvents(String payload) {
        List<String> ids = othersIds(payload);
        if (ids.isEmpty()) {
            return;
        }
        pool.preparedQuery(EVENTS_BY_ID).execute(Tuple.of(ids.toArray(String[]::new))).subscribe().with(rows -> {
            for (Row row : rows) {
                bus.publish(event(row), false);
            }
        }, error -> Log.warnf(error, "cannot read job events %s", payload));
    }

    /** The ids of a notification from another orchestrator; none for our own or a malformed one. */
    private List<String> othersIds(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(instance)) {
            return List.of();
        }
        return List.of(payload.substring(space + 1).split(","));
    }

    private static JobEvent event(Row row) {
        JsonObject payload = row.getJsonObject("payload");
        return new JobEvent(row.getString("event_id"), row.getString("job_id"), row.getString("task_id"),
                row.getString("worker_id"), row.getString("type"), payload == null ? null : Jsonb.map(payload),
                row.getLong("created_at"));
    }
}
