package io.rxon.orchestrator.events;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.rxon.orchestrator.cluster.PeerEventsStored;
import io.rxon.orchestrator.db.Jsonb;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The job event log: stores events (the event id is unique), reads a job's history, and puts the
 * events another orchestrator stored on this one's bus. Publishing what a transaction stored,
 * once it has committed, is the caller's (the job lifecycle's) business.
 */
@ApplicationScoped
public class EventService {

    private static final String EVENTS_BY_ID = """
            SELECT event_id, job_id, task_id, worker_id, type, payload, created_at, origin_worker_id, bubbling_chain
            FROM job_events
            WHERE event_id = ANY($1) ORDER BY seq""";

    private final Clock clock;
    private final Pool pool;
    private final JobEventBus bus;

    public EventService(Clock clock, Pool pool, JobEventBus bus) {
        this.clock = clock;
        this.pool = pool;
        this.bus = bus;
    }

    /** Stores an event within the caller's transaction; the caller publishes it after the commit. */
    public Uni<JobEvent> store(String eventId, String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload) {
        return store(eventId, jobId, taskId, workerId, type, payload, null, null);
    }

    /** Stores a worker event with its origin and the orchestrators it bubbled through (null: none). */
    public Uni<JobEvent> store(String eventId, String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload, String originWorkerId, List<String> bubblingChain) {
        JobEventEntity entity = new JobEventEntity();
        entity.originWorkerId = originWorkerId;
        entity.bubblingChain = bubblingChain == null || bubblingChain.isEmpty() ? null
                : bubblingChain.toArray(String[]::new);
        entity.eventId = eventId;
        entity.jobId = jobId;
        entity.taskId = taskId;
        entity.workerId = workerId;
        entity.type = type;
        entity.payload = payload;
        entity.createdAt = clock.millis();
        return entity.<JobEventEntity>persist().map(JobEvent::of);
    }

    /** Whether an event with this id was stored already (within the caller's session). */
    public Uni<Boolean> exists(String eventId) {
        return JobEventEntity.count("eventId", eventId).map(count -> count > 0);
    }

    @WithSession
    public Uni<List<JobEvent>> history(String jobId) {
        return JobEventEntity.<JobEventEntity>list("jobId = ?1 order by seq", jobId)
                .map(events -> events.stream().map(JobEvent::of).toList());
    }

    /** Events another orchestrator stored reach this one's SSE clients (their webhooks are the storer's). */
    void onPeerEvents(@Observes PeerEventsStored stored) {
        pool.preparedQuery(EVENTS_BY_ID).execute(Tuple.of(stored.eventIds().toArray(String[]::new))).subscribe()
                .with(rows -> {
                    for (Row row : rows) {
                        bus.publish(event(row));
                    }
                }, error -> Log.warnf(error, "cannot read job events %s", stored.eventIds()));
    }

    private static JobEvent event(Row row) {
        JsonObject payload = row.getJsonObject("payload");
        return new JobEvent(row.getString("event_id"), row.getString("job_id"), row.getString("task_id"),
                row.getString("worker_id"), row.getString("type"), payload == null ? null : Jsonb.map(payload),
                row.getLong("created_at"), row.getString("origin_worker_id"), chain(row));
    }

    /** A row's {@code bubbling_chain} as a list; null when none was stored. */
    public static List<String> chain(Row row) {
        String[] chain = row.getArrayOfStrings("bubbling_chain");
        return chain == null ? null : List.of(chain);
    }
}
