package io.rxon.worker.link;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a worker with several orchestrators chooses the one to ask for its next task
 * ({@code RXON_ORCHESTRATORS_MODE}), as the reference worker SDK's {@code MULTI_ORCHESTRATOR_MODE}.
 */
public enum LinkMode {
    /** Always the first orchestrator (in priority order) that is reachable; the next only while it is not. */
    FAILOVER("failover"),
    /** Smooth weighted round robin over the reachable orchestrators. */
    ROUND_ROBIN("round-robin"),
    /** Priority order: an empty answer moves on to the next, a task restarts at the top. */
    WATERFALL("waterfall");

    private final String wireName;

    LinkMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Case-insensitive; {@code _} and {@code -} are the same, so the reference's {@code ROUND_ROBIN} works too. */
    public static LinkMode parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (LinkMode mode : values()) {
            if (mode.wireName.equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("RXON_ORCHESTRATORS_MODE must be one of "
                + Arrays.stream(values()).map(LinkMode::wireName).collect(Collectors.joining(", ")) + ", got '"
                + value + "'");
    }
}
