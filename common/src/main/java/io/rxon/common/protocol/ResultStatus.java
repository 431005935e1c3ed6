package io.rxon.common.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The statuses of a task result the protocol defines (PROTOCOL.md §7). A result's {@code status}
 * stays a string on the wire: a skill may return a custom status, which an orchestrator handles as
 * a transition or fails as unhandled.
 */
public enum ResultStatus {
    SUCCESS("success"),
    FAILURE("failure"),
    CANCELLED("cancelled");

    private final String wire;

    ResultStatus(String wire) {
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

    /** The defined status a wire value names; empty for a custom status. */
    public static Optional<ResultStatus> fromWire(String status) {
        return Arrays.stream(values()).filter(value -> value.is(status)).findFirst();
    }
}
