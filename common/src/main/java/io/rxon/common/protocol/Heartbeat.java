package io.rxon.common.protocol;

import java.util.List;
import java.util.Map;

/**
 * Periodic liveness and telemetry of a worker. The orchestrator renews the leases of
 * {@code current_tasks} and answers with {@link HeartbeatResponse}.
 */
@WireMessage
public record Heartbeat(
        String workerId,
        String status,
        ResourcesUsage usage,
        List<String> currentTasks,
        List<SkillInfo> supportedSkills,
        List<String> availableSkills,
        List<String> hotSkills,
        String skillsHash,
        SecurityContext security,
        Map<String, Object> metadata,
        Long timestamp)
        implements Signable<Heartbeat> {

    public Heartbeat {
        Wire.required(workerId, "worker_id");
        Wire.required(status, "status");
        currentTasks = Wire.list(currentTasks);
        supportedSkills = Wire.list(supportedSkills);
        availableSkills = Wire.list(availableSkills);
        hotSkills = Wire.list(hotSkills);
        metadata = Wire.map(metadata);
    }

    public static Heartbeat of(String workerId, String status, List<String> currentTasks, long timestamp) {
        return new Heartbeat(workerId, status, null, currentTasks, null, null, null, null, null, null, timestamp);
    }

    @Override
    public Heartbeat withSecurity(SecurityContext security) {
        return new Heartbeat(workerId, status, usage, currentTasks, supportedSkills, availableSkills, hotSkills,
                skillsHash, security, metadata, timestamp);
    }
}
