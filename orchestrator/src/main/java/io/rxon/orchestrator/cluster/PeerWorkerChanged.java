package io.rxon.orchestrator.cluster;

/** Another orchestrator stored a registration or a new skill catalogue of this worker (CDI event fired by {@link WorkerChannels}). */
public record PeerWorkerChanged(String workerId) {}
