package io.rxon.orchestrator.job;

import java.util.Locale;

/**
 * The stored names of the task states ({@link TaskState}, where their transitions live): the
 * {@code tasks.status} column and the literals of the job SQL ({@link StatusSql}).
 */
public enum TaskStatus {
    PENDING,
    ASSIGNED,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isEnded() {
        return TaskState.ENDED.contains(this);
    }
}
