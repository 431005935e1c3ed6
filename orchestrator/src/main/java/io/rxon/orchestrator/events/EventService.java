package io.rxon.orchestrator.events;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.job.JobEntity;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stores job events once (the event id is unique: a replayed worker event is acknowledged as a
 * duplicate and changes nothing) and applies progress to the job. The database publishes every
 * stored event when its transaction commits (see DatabaseNotifications and {@link JobEventBus}).
 */
@ApplicationScoped
public class EventService {

    private final Clock clock;
    private final Vertx vertx;

    public EventService(Clock clock, Vertx vertx) {
        this.clock = clock;
        this.vertx = vertx;
    }

    /** The wire body of an event acknowledgement. */
    public static Map<String, Object> accepted() {
        return Map.of("status", "event_accepted");
    }

    @WithTransaction
    public Uni<Map<String, Object>> acceptWorkerEvent(String authenticatedId, WorkerEventPayload event) {
        if (!event.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Event sender mismatch: authenticated as '" + authenticatedId
                    + "', event from '" + event.workerId() + "'");
        }
        if (event.targetJobId() == null) {
            return Uni.createFrom().item(ignored("job_not_found", "event has no target_job_id"));
        }
        return JobEventEntity.count("eventId", event.eventId()).chain(seen -> {
            if (seen > 0) {
                return Uni.createFrom().item(ignored(Protocol.IGNORED_DUPLICATE, "event " + event.eventId()
                        + " was already received"));
            }
            return JobEntity.<JobEntity>findById(event.targetJobId()).chain(job -> {
                if (job == null) {
                    return Uni.createFrom().item(ignored(Protocol.IGNORED_JOB_NOT_FOUND, "no job "
                            + event.targetJobId()));
                }
                if (!authenticatedId.equals(job.assignedWorkerId)) {
                    throw new ForbiddenActionException("Worker '" + authenticatedId + "' does not run job " + job.id);
                }
                return applyProgress(job.id, event)
                        .chain(() -> store(event.eventId(), job.id, event.targetTaskId(), authenticatedId,
                                event.eventType(), payloadOf(event)))
                        .map(stored -> accepted());
            });
        });
    }

    /** Records a lifecycle event of the orchestrator itself (worker id {@code ghost}). */
    @WithSession
    public Uni<JobEvent> lifecycle(String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload) {
        return store(UUID.randomUUID().toString(), jobId, taskId, workerId, type, payload);
    }

    /**
     * Records a lifecycle event from wherever the caller runs (a database callback, a timer),
     * on a fresh duplicated context as Hibernate Reactive requires; failures are logged.
     */
    public void recordDetached(String jobId, String taskId, String workerId, String type, Map<String, Object> payload) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> lifecycle(jobId, taskId, workerId, type, payload).subscribe().with(
                stored -> { }, error -> Log.warnf(error, "could not record %s of job %s", type, jobId)));
    }

    @WithSession
    public Uni<List<JobEvent>> history(String jobId) {
        return JobEventEntity.<JobEventEntity>list("jobId = ?1 order by seq", jobId)
                .map(events -> events.stream().map(JobEvent::of).toList());
    }

    private Uni<JobEvent> store(String eventId, String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload) {
        JobEventEntity entity = new JobEventEntity();
        entity.eventId = eventId;
        entity.jobId = jobId;
        entity.taskId = taskId;
        entity.workerId = workerId;
        entity.type = type;
        entity.payload = payload;
        entity.createdAt = clock.millis();
        // Published to the bus by the database at commit (DatabaseNotifications), never before.
        return entity.<JobEventEntity>persist().map(JobEvent::of);
    }

    /**
     * Progress touches only the progress columns, with a targeted update: writing the whole job
     * row back would undo a result committed meanwhile.
     */
    private Uni<Integer> applyProgress(String jobId, WorkerEventPayload event) {
        if (!Protocol.EVENT_PROGRESS.equals(event.eventType())
                || !(event.payload().get("progress") instanceof Number progress)) {
            return Uni.createFrom().item(0);
        }
        double clamped = Math.max(0.0, Math.min(1.0, progress.doubleValue()));
        String message = event.payload().get("message") instanceof String text ? text : null;
        return JobEntity.update("progress = ?1, progressMessage = ?2, updatedAt = ?3 where id = ?4", clamped, message,
                clock.millis(), jobId);
    }

    private static Map<String, Object> payloadOf(WorkerEventPayload event) {
        return event.payload();
    }

    private static Map<String, Object> ignored(String reason, String message) {
        return Map.of("status", "ignored", "reason", reason, "message", message);
    }
}
