package io.rxon.orchestrator.dispatch;

import io.rxon.common.protocol.TaskPayload;

/**
 * A task that a claim has just assigned to a worker, ready to be handed over; {@code queuedMillis}
 * is how long it waited since it became pending (the dispatch latency).
 */
public record ClaimedTask(TaskPayload payload, String workerId, int attempt, long queuedMillis) {}
