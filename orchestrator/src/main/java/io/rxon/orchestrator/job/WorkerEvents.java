package io.rxon.orchestrator.job;

import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.orchestrator.db.UniqueViolation;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.events.EventService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.util.Map;

/**
 * Events a worker sends about the job it runs (progress and custom types): stored once (a replayed
 * event is acknowledged as a duplicate and changes nothing) with their origin and bubbling chain,
 * progress applied to the job, kept for the parent when the job runs a parent task
 * ({@link ParentBoundEvents}), and published once committed. Events for a job that has ended are
 * ignored.
 */
@ApplicationScoped
public class WorkerEvents {

    private final Clock clock;
    private final JobCommits commits;
    private final EventService events;
    private final ParentBoundEvents parentBound;
    private final Event<WorkerEventAccepted> accepted;

    public WorkerEvents(Clock clock, JobCommits commits, EventService events, ParentBoundEvents parentBound,
            Event<WorkerEventAccepted> accepted) {
        this.clock = clock;
        this.commits = commits;
        this.events = events;
        this.parentBound = parentBound;
        this.accepted = accepted;
    }

    /** The wire body of an event acknowledgement. */
    public static Map<String, Object> accepted() {
        return Map.of("status", "event_accepted");
    }

    public Uni<Map<String, Object>> accept(String authenticatedId, WorkerEventPayload event) {
        if (!event.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Event sender mismatch: authenticated as '" + authenticatedId
                    + "', event from '" + event.workerId() + "'");
        }
        if (event.targetJobId() == null) {
            return Uni.createFrom().item(ignored(IgnoredReason.JOB_NOT_FOUND.wire(), "event has no target_job_id"));
        }
        return commits.inTransaction(outbox -> events.exists(event.eventId()).chain(seen -> {
            if (seen) {
                return Uni.createFrom().item(duplicate(event));
            }
            return JobEntity.<JobEntity>findById(event.targetJobId()).chain(job -> {
                if (job == null) {
                    return Uni.createFrom().item(ignored(IgnoredReason.JOB_NOT_FOUND.wire(), "no job "
                            + event.targetJobId()));
                }
                if (job.state() instanceof JobState.Ended) {
                    return Uni.createFrom().item(ignored(IgnoredReason.JOB_ALREADY_TERMINATED.wire(), "job " + job.id
                            + " has already ended (" + job.status.wire() + ")"));
                }
                if (!authenticatedId.equals(job.assignedWorkerId)) {
                    throw new ForbiddenActionException("Worker '" + authenticatedId + "' does not run job " + job.id);
                }
                return applyProgress(job.id, event)
                        .chain(() -> events.store(event.eventId(), job.id, event.targetTaskId(), authenticatedId,
                                event.eventType(), event.payload(), event.originWorkerId(),
                                ParentBoundEvents.chainOnArrival(event, authenticatedId)))
                        .invoke(outbox::add)
                        .call(() -> parentBound.keep(job, event))
                        .map(stored -> accepted());
            });
        })).invoke(answer -> {
            if ("event_accepted".equals(answer.get("status"))) {
                accepted.fire(new WorkerEventAccepted(event.targetJobId(), event));
            }
        }).onFailure(UniqueViolation::is).recoverWithItem(() -> duplicate(event));
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

    private static Map<String, Object> duplicate(WorkerEventPayload event) {
        return ignored(IgnoredReason.DUPLICATE.wire(), "event " + event.eventId() + " was already received");
    }

    private static Map<String, Object> ignored(String reason, String message) {
        return Map.of("status", "ignored", "reason", reason, "message", message);
    }
}
