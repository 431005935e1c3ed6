package io.rxon.orchestrator.cluster;

/**
 * A worker opened its socket on another orchestrator (CDI event fired by {@link WorkerChannels}):
 * a socket of the same worker here that is older ({@link #isNewerThan}) must close.
 *
 * @param generation when the socket opened, in microseconds of its orchestrator's clock
 */
public record PeerSocketOpened(String workerId, String instance, long generation) {

    /** Whether this socket replaces one opened here at {@code generation} by {@code localInstance}; ties go by name. */
    public boolean isNewerThan(long localGeneration, String localInstance) {
        return generation != localGeneration ? generation > localGeneration : instance.compareTo(localInstance) > 0;
    }
}
