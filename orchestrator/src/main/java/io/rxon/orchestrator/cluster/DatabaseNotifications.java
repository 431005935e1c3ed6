package io.rxon.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rxon.common.json.Json;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.dispatch.TaskClaims;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.events.JobEventBus;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database as the orchestrators' shared nervous system ({@code LISTEN/NOTIFY}, sent by
 * triggers at commit). {@value #TASKS}: a task queued by another orchestrator is offered at once
 * to matching workers parked here. {@value #EVENTS}: every stored job event, from any
 * orchestrator, goes to the event bus (SSE), marked local when this instance stored it (only the
 * storing instance calls webhooks, so each is sent once).
 */
@ApplicationScoped
public class DatabaseNotifications {

    static final String TASKS = "rxon_tasks";
    static final String EVENTS = "rxon_events";
    private static final String EVENT_BY_SEQ = "SELECT row_to_json(e) AS event FROM job_events e WHERE seq = $1";

    private final Vertx vertx;
    private final Dispatcher dispatcher;
    private final TaskClaims claims;
    private final Pool pool;
    private final JobEventBus bus;
    private final PgConnectOptions options;
    private final String instance;
    private PgSubscriber subscriber;

    public DatabaseNotifications(Vertx vertx, Dispatcher dispatcher, TaskClaims claims, Pool pool,
            JobEventBus bus,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.application_name")
                    String instance) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.claims = claims;
        this.pool = pool;
        this.bus = bus;
        this.instance = instance;
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(username).setPassword(password);
        this.options.getProperties().put("application_name", instance + "-listener");
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(TASKS).handler(this::onTask);
        subscriber.channel(EVENTS).handler(this::onEvent);
        subscriber.connect().await().indefinitely();
        Log.debugf("listening to %s and %s as %s", TASKS, EVENTS, instance);
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** {@code <application_name> <task id>}: our own tasks were offered when we queued them. */
    void onTask(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(instance)) {
            return;
        }
        claims.pendingTask(payload.substring(space + 1)).subscribe().with(
                task -> task.ifPresent(dispatcher::offer),
                error -> Log.warnf(error, "cannot read task %s queued by another orchestrator", payload));
    }

    /** {@code <application_name> <event row JSON>}, or {@code {"seq": n}} for a row too large to inline. */
    void onEvent(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0) {
            return;
        }
        boolean local = payload.substring(0, space).equals(instance);
        byte[] json = payload.substring(space + 1).getBytes(StandardCharsets.UTF_8);
        JsonNode row = Json.tree(json);
        if (row.has("event_id")) {
            bus.publish(Json.convert(row, JobEvent.class), local);
            return;
        }
        pool.preparedQuery(EVENT_BY_SEQ).execute(Tuple.of(row.get("seq").asLong()))
                .map(rows -> rows.size() == 0 ? null : Json.convert(
                        Json.tree(rows.iterator().next().getJsonObject("event").encode().getBytes(StandardCharsets.UTF_8)),
                        JobEvent.class))
                .subscribe().with(event -> {
                    if (event != null) {
                        bus.publish(event, local);
                    }
                }, error -> Log.warnf(error, "cannot read job event %s", payload));
    }
}
