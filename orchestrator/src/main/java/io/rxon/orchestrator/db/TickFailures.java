package io.rxon.orchestrator.db;

import io.quarkus.logging.Log;

/**
 * The failures of one periodic database task, logged once per outage: the first with its cause,
 * the repeats (every tick while the database is away) only at DEBUG, and one line when it works
 * again. An outage of a minute would otherwise print sixty stack traces per task.
 */
public final class TickFailures {

    private final String task;
    private long failures;

    /** @param task what the periodic task does, e.g. {@code "lease sweep"} */
    public TickFailures(String task) {
        this.task = task;
    }

    public synchronized void failed(Throwable error) {
        if (failures++ == 0) {
            Log.warnf(error, "%s failed; retrying every tick, silently until it works again", task);
        } else {
            Log.debugf("%s failed again (%d in a row): %s", task, failures, error.getMessage());
        }
    }

    public synchronized void succeeded() {
        if (failures > 0) {
            Log.infof("%s works again after %d failed attempts", task, failures);
            failures = 0;
        }
    }
}
