package io.rxon.orchestrator.job;

import io.rxon.common.matching.Requirements;

/** A task that just became claimable: what the dispatcher needs to find a worker for it. */
public record PendingTask(String taskId, String type, Requirements requirements) {}
