package io.rxon.orchestrator.cluster;

import java.util.List;

/** Another orchestrator on the database stored these job events (CDI event fired by {@link DatabaseNotifications}). */
public record PeerEventsStored(List<String> eventIds) {}
