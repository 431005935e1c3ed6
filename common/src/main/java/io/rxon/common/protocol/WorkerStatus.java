package io.rxon.common.protocol;

/**
 * The statuses a worker reports in its heartbeats (PROTOCOL.md §2.4): how full its slots are, or
 * that it is draining (the dispatcher skips it) or going offline.
 */
public enum WorkerStatus {
    ACTIVE("active"),
    IDLE("idle"),
    BUSY("busy"),
    FULL("full"),
    DRAINING("draining"),
    OFFLINE("offline");

    private final String wire;

    WorkerStatus(String wire) {
        this.wire = wire;
    }

    /** The status as it is written on the wire. */
    public String wire() {
        return wire;
    }

    /** Whether a status read from the wire is this one. */
    public boolean is(String status) {
        return wire.equals(status);
    }
}
