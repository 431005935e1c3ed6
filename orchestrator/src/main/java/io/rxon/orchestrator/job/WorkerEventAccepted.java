package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WorkerEventPayload;

/**
 * A worker's event about a job has been stored and committed, as it arrived (with its
 * {@code origin_worker_id} and {@code bubbling_chain}): what a relay to a parent orchestrator needs
 * (docs/HOLARCHY.md). Fired as a CDI event after the commit.
 */
public record WorkerEventAccepted(String jobId, WorkerEventPayload event) {}
