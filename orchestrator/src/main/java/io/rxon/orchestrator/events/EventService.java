package io.rxon.orchestrator.events;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.orchestrator.cluster.ClusterBroadcast;
import io.rxon.orchestrator.db.UniqueViolation;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.tracing.JobTracing;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stores job events once (the event id is unique: a replayed worker event is acknowledged as a
 * duplicate and changes nothing) and applies progress to the job. Events are published only once
 * their transaction has committed ({@link #inTransaction}, ClusterBroadcast): a webhook or SSE
 * client never sees an event that was rolled back.
 */
@ApplicationScoped
public class EventService {

    private final Clock clock;
    private final ClusterBroadcast broadcast;
    private final JobTracing tracing;

    public EventService(Clock clock, ClusterBroadcast broadcast, JobTracing tracing) {
        this.clock = clock;
        this.broadcast = broadcast;
        this.tracing = tracing;
    }

    /**
     * Runs {@code work} in one transaction and publishes what it put in the outbox once that
     * transaction has committed.
     */
    public <T> Uni<T> inTransaction(Function<Outbox, Uni<T>> work) {
        Outbox outbox = new Outbox();
        return Panache.withTransaction(() -> work.apply(outbox))
                .invoke(() -> broadcast.committed(outbox.events(), outbox.queuedTaskIds()));
    }

    /** The wire body of an event acknowledgement. */
    public static Map<String, Object> accepted() {
        return Map.of("status", "event_accepted");
    }

    /** A worker's event, in a span under its {@code trace_context} when it brings one (tracing/JobTracing). */
    public Uni<Map<String, Object>> acceptWorkerEvent(String authenticatedId, WorkerEventPayload event) {
        return tracing.event(event, accept(authenticatedId, event));
    }

    private Uni<Map<String, Object>> accept(String authenticatedId, WorkerEventPayload event) {
        if (!event.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Event sender mismatch: authenticated as '" + authenticatedId
                    + "', event from '" + event.workerId() + "'");
        }
        if (event.targetJobId() == null) {
            return Uni.createFrom().item(ignored(IgnoredReason.JOB_NOT_FOUND.wire(), "event has no target_job_id"));
        }
        return inTransaction(outbox -> JobEventEntity.count("eventId", event.eventId()).chain(seen -> {
            if (seen > 0) {
                return Uni.createFrom().item(ignored(IgnoredReason.DUPLICATE.wire(), "event " + event.eventId()
                        + " was already received"));
            }
            return JobEntity.<JobEntity>findById(event.targetJobId()).chain(job -> {
                if (job == null) {
                    return Uni.createFrom().item(ignored(IgnoredReason.JOB_NOT_FOUND.wire(), "no job "
                            + event.targetJobId()));
                }
                if (job.status.isTerminal()) {
                    return Uni.createFrom().item(ignored(IgnoredReason.JOB_ALREADY_TERMINATED.wire(), "job " + job.id
                            + " has already ended (" + job.status.wire() + ")"));
                }
                if (!authenticatedId.equals(job.assignedWorkerId)) {
                    throw new ForbiddenActionException("Worker '" + authenticatedId + "' does not run job " + job.id);
                }
                return applyProgress(job.id, event)
                        .chain(() -> store(outbox, event.eventId(), job.id, event.targetTaskId(), authenticatedId,
                                event.eventType(), payloadOf(event)))
                        .map(stored -> accepted());
            });
        })).onFailure(UniqueViolation::is).recoverWithItem(() -> ignored(IgnoredReason.DUPLICATE.wire(), "event "
                + event.eventId() + " was already received"));
    }

    /** Records a lifecycle event of the orchestrator itself (worker id {@code ghost}), within the caller's transaction. */
    public Uni<JobEvent> lifecycle(Outbox outbox, String jobId, String taskId, String workerId, String type,
            Map<String, Object> payload) {
        return store(outbox, UUID.randomUUID().toString(), jobId, taskId, workerId, type, payload);
    }

    @WithSession
    public Uni<List<JobEvent>> history(String jobId) {
        return JobEventEntity.<JobEventEntity>list("jobId = ?1 order by seq", jobId)
                .map(events -> events.stream().map(JobEvent::of).toList());
    }

    private Uni<JobEvent> store(Outbox outbox, String eventId, String jobId, String taskId, String workerId,
            String type, Map<String, Object> payload) {
        JobEventEntity entity = new JobEventEntity();
        entity.eventId = eventId;
        entity.jobId = jobId;
        entity.taskId = taskId;
        entity.workerId = workerId;
        entity.type = type;
        entity.payload = payload;
        entity.createdAt = clock.millis();
        return entity.<JobEventEntity>persist().map(JobEvent::of).invoke(outbox::add);
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
