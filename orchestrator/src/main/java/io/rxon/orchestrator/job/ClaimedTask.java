package io.rxon.orchestrator.job;

import io.rxon.common.protocol.TaskPayload;
import io.rxon.orchestrator.events.JobEvent;

/**
 * A task that a claim has just assigned to a worker, ready to be handed over; {@code queuedMillis}
 * is how long it waited since it became pending (the dispatch latency), {@code dispatched} the
 * {@code task_dispatched} event the claim stored.
 */
public record ClaimedTask(TaskPayload payload, String workerId, int attempt, long queuedMillis, JobEvent dispatched) {}
