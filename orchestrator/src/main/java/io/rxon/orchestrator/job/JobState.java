package io.rxon.orchestrator.job;

import java.util.List;
import java.util.Map;

/**
 * Where a job stands. A transition is a method of the state it leaves, so only legal moves can be
 * written; an ended job never moves again, and its end is announced by the event its state names.
 *
 * <pre>
 *   Waiting ──start──▶ Running ──finish──────▶ Finished
 *     │  ▲               │ ├────fail────────▶ Failed ◀── fail (deadline) ── Waiting
 *     │  └────retry──────┘ ├────quarantine──▶ Quarantined
 *     └──cancel──▶ Cancelled ◀──cancel────────┘
 * </pre>
 */
public sealed interface JobState {

    /** The stored and wire form of this state. */
    JobStatus status();

    /** The statuses of the ended states: the one definition of a job that can no longer move. */
    List<JobStatus> ENDED = List.of(JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUARANTINED);

    /** The lifecycle event that announces each ended state; a job's event stream ends with one of them. */
    Map<JobStatus, String> END_EVENTS = Map.of(JobStatus.FINISHED, "job_finished", JobStatus.FAILED, "job_failed",
            JobStatus.CANCELLED, "job_cancelled", JobStatus.QUARANTINED, "job_quarantined");

    /** Whether a job event announces the job's end. */
    static boolean isEndEvent(String eventType) {
        return END_EVENTS.containsValue(eventType);
    }

    /** A state the job can still leave. */
    sealed interface Open extends JobState {
        Cancelled cancel();

        /** Its own deadline ({@code timeout_seconds}) passed. */
        Failed fail();
    }

    /** A state the job never leaves. */
    sealed interface Ended extends JobState {
        default String eventType() {
            return END_EVENTS.get(status());
        }
    }

    /** Its current task is pending: waiting for a matching worker. */
    record Waiting() implements Open {
        public JobStatus status() {
            return JobStatus.WAITING_FOR_WORKER;
        }

        public Running start(String workerId) {
            return new Running(workerId);
        }

        public Cancelled cancel() {
            return new Cancelled();
        }

        public Failed fail() {
            return new Failed();
        }
    }

    /** Its current task is assigned to {@code workerId}. */
    record Running(String workerId) implements Open {
        public JobStatus status() {
            return JobStatus.RUNNING;
        }

        public Finished finish() {
            return new Finished();
        }

        public Failed fail() {
            return new Failed();
        }

        /** A dead letter: kept for inspection, never retried. */
        public Quarantined quarantine() {
            return new Quarantined();
        }

        /** A new attempt is queued. */
        public Waiting retry() {
            return new Waiting();
        }

        public Cancelled cancel() {
            return new Cancelled();
        }
    }

    record Finished() implements Ended {
        public JobStatus status() {
            return JobStatus.FINISHED;
        }
    }

    record Failed() implements Ended {
        public JobStatus status() {
            return JobStatus.FAILED;
        }
    }

    record Cancelled() implements Ended {
        public JobStatus status() {
            return JobStatus.CANCELLED;
        }
    }

    record Quarantined() implements Ended {
        public JobStatus status() {
            return JobStatus.QUARANTINED;
        }
    }

    /** The state a stored job is in ({@code pending}, an older name of waiting, reads as waiting). */
    static JobState of(JobStatus status, String assignedWorkerId) {
        return switch (status) {
            case PENDING, WAITING_FOR_WORKER -> new Waiting();
            case RUNNING -> new Running(assignedWorkerId);
            case FINISHED -> new Finished();
            case FAILED -> new Failed();
            case CANCELLED -> new Cancelled();
            case QUARANTINED -> new Quarantined();
        };
    }
}
