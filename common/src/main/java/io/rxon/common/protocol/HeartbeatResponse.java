package io.rxon.common.protocol;

import java.util.List;

/**
 * The orchestrator's answer to a heartbeat: {@code ok}, or {@code ttl_refreshed} for an empty
 * body, with instructions piggy-backed on it (re-register, cancel these tasks).
 */
@WireMessage
public record HeartbeatResponse(String status, Boolean requireFullSync, List<String> cancelTaskIds) {

    public HeartbeatResponse {
        cancelTaskIds = Wire.list(cancelTaskIds);
    }

    public static HeartbeatResponse ok() {
        return new HeartbeatResponse("ok", null, null);
    }

    public boolean fullSyncRequested() {
        return Boolean.TRUE.equals(requireFullSync);
    }

    public List<String> cancelTaskIdsOrEmpty() {
        return cancelTaskIds == null ? List.of() : cancelTaskIds;
    }
}
