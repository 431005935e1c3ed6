package io.rxon.orchestrator.cluster;

import io.rxon.common.protocol.WorkerCommand;

/** A command for a worker whose socket another orchestrator does not hold (CDI event fired by {@link WorkerChannels}). */
public record PeerCommand(String workerId, WorkerCommand command) {}
