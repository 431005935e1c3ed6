package io.rxon.orchestrator.events;

import java.util.ArrayList;
import java.util.List;

/**
 * What one transaction stored that others may hear of only once it has committed: its job events
 * and the tasks it made pending ({@link EventService#inTransaction}, ClusterBroadcast).
 */
public final class Outbox {

    private final List<JobEvent> events = new ArrayList<>();
    private final List<String> queuedTaskIds = new ArrayList<>();

    public void add(JobEvent event) {
        events.add(event);
    }

    public void queued(String taskId) {
        queuedTaskIds.add(taskId);
    }

    List<JobEvent> events() {
        return events;
    }

    List<String> queuedTaskIds() {
        return queuedTaskIds;
    }
}
