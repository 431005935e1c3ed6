package io.rxon.orchestrator.worker;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.ResourcesUsage;
import java.util.List;

/**
 * What one worker's heartbeats said since the last write to the database: when it was last heard
 * from and, where a heartbeat carried them, its status, usage and running tasks. Sightings of one
 * worker merge field by field (the later one wins, absent fields keep the earlier value), so a
 * flush writes one row per worker however often it heartbeated.
 *
 * @param status null when only liveness was refreshed (an empty heartbeat)
 * @param usage null when the heartbeat carried none: the stored usage stays
 * @param tasksReported whether {@code currentTasks} is news; an empty heartbeat reports nothing
 */
record WorkerSighting(long seenAt, String status, ResourcesUsage usage, boolean tasksReported,
        List<String> currentTasks) {

    static WorkerSighting of(Heartbeat heartbeat, long now) {
        return new WorkerSighting(now, heartbeat.status(), heartbeat.usage(), true, heartbeat.currentTasks());
    }

    /** An empty heartbeat: alive, nothing else said. */
    static WorkerSighting alive(long now) {
        return new WorkerSighting(now, null, null, false, null);
    }

    /** This sighting updated by a later one. */
    WorkerSighting then(WorkerSighting later) {
        return new WorkerSighting(Math.max(seenAt, later.seenAt),
                later.status != null ? later.status : status,
                later.usage != null ? later.usage : usage,
                tasksReported || later.tasksReported,
                later.tasksReported ? later.currentTasks : currentTasks);
    }
}
