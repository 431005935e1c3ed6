package io.rxon.orchestrator.job;

import io.smallrye.mutiny.Uni;

/**
 * Told of every job that ended on the entity path, inside the transaction that ended it, after its
 * end event was stored. Workflows (a package above this one) implement it: a step's end advances
 * its workflow, a workflow's end stops its running steps, both in that same transaction.
 */
public interface JobEndings {

    /** {@code job} has just ended (it is locked by the caller's transaction). */
    Uni<Void> ended(Outbox outbox, JobEntity job, long now);
}
