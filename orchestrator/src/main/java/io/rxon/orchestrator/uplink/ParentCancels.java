package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.job.JobLifecycle;

/**
 * The parent cancelled one of its tasks (in a heartbeat answer or over the socket): its local job is
 * cancelled, and with it the leaf's task, unless a later task of the same parent job (a re-dispatch
 * after the first one's lease ran out) joined that local job and still needs it. Called on the
 * uplink's own threads.
 */
final class ParentCancels {

    private final UplinkStatements statements;
    private final JobLifecycle lifecycle;

    ParentCancels(UplinkStatements statements, JobLifecycle lifecycle) {
        this.statements = statements;
        this.lifecycle = lifecycle;
    }

    void cancel(String parentTaskId) {
        statements.find(parentTaskId).flatMap(UplinkStatements.Link::localJobId).ifPresent(localJobId -> {
            if (statements.isShared(localJobId, parentTaskId)) {
                // an expired attempt is cancelled while its re-dispatch, which joined the same local job, still needs it
                Log.debugf("the parent cancelled task %s; local job %s stays for another of its tasks", parentTaskId,
                        localJobId);
                return;
            }
            try {
                VertxContextSupport.subscribeAndAwait(() -> lifecycle.cancel(TaskIntake.PARENT_CLIENT, localJobId));
                Log.infof("the parent cancelled task %s: local job %s cancelled", parentTaskId, localJobId);
            } catch (ConflictException | ResourceNotFoundException e) {
                Log.debugf("the parent cancelled task %s; local job %s: %s", parentTaskId, localJobId, e.getMessage());
            } catch (Throwable e) {
                Log.warnf(e, "could not cancel local job %s of parent task %s", localJobId, parentTaskId);
            }
        });
    }
}
