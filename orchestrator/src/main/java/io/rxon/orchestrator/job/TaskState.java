package io.rxon.orchestrator.job;

import java.util.List;

/**
 * Where one task attempt stands. A transition is a method of the state it leaves, so only legal
 * moves can be written: a pending task can be assigned or cancelled; an assigned one can succeed,
 * fail, be cancelled, lose its lease or have it renewed; an ended one cannot move at all.
 *
 * <pre>
 *   Pending ──assign──▶ Assigned ──succeed──▶ Succeeded
 *      │                 │  ▲ renew   ├─fail──▶ Failed
 *      └──cancel──┐      └──┘         ├─expire─▶ Expired
 *                 ▼                   │
 *             Cancelled ◀──cancel─────┘
 * </pre>
 */
public sealed interface TaskState {

    /** The stored form of this state. */
    TaskStatus status();

    /** The statuses of the ended states: the one definition of a task that can no longer move. */
    List<TaskStatus> ENDED = List.of(TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.EXPIRED);

    /** A state the task can still leave. */
    sealed interface Open extends TaskState {}

    /** A state the task never leaves. */
    sealed interface Ended extends TaskState {}

    /** Waiting for a matching worker. */
    record Pending() implements Open {
        public TaskStatus status() {
            return TaskStatus.PENDING;
        }

        public Assigned assign(String workerId, long leaseExpiresAt) {
            return new Assigned(workerId, leaseExpiresAt);
        }

        public Cancelled cancel() {
            return new Cancelled();
        }
    }

    /** Handed to a worker, which holds a lease on it until {@code leaseExpiresAt}. */
    record Assigned(String workerId, long leaseExpiresAt) implements Open {
        public TaskStatus status() {
            return TaskStatus.ASSIGNED;
        }

        public Assigned renew(long until) {
            return new Assigned(workerId, until);
        }

        public Succeeded succeed() {
            return new Succeeded();
        }

        public Failed fail() {
            return new Failed();
        }

        public Cancelled cancel() {
            return new Cancelled();
        }

        /** The worker went silent or its lease ran out; the job decides whether to try again. */
        public Expired expire() {
            return new Expired();
        }
    }

    record Succeeded() implements Ended {
        public TaskStatus status() {
            return TaskStatus.SUCCEEDED;
        }
    }

    record Failed() implements Ended {
        public TaskStatus status() {
            return TaskStatus.FAILED;
        }
    }

    record Cancelled() implements Ended {
        public TaskStatus status() {
            return TaskStatus.CANCELLED;
        }
    }

    record Expired() implements Ended {
        public TaskStatus status() {
            return TaskStatus.EXPIRED;
        }
    }

    /** The state a stored task is in. */
    static TaskState of(TaskStatus status, String workerId, Long leaseExpiresAt) {
        return switch (status) {
            case PENDING -> new Pending();
            case ASSIGNED -> new Assigned(workerId, leaseExpiresAt == null ? 0 : leaseExpiresAt);
            case SUCCEEDED -> new Succeeded();
            case FAILED -> new Failed();
            case CANCELLED -> new Cancelled();
            case EXPIRED -> new Expired();
        };
    }
}
