package io.rxon.orchestrator.cluster;

import java.util.List;

/** Another orchestrator on the database queued these tasks (CDI event fired by {@link DatabaseNotifications}). */
public record PeerTasksQueued(List<String> taskIds) {}
