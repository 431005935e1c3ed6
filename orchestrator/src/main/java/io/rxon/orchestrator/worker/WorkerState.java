package io.rxon.orchestrator.worker;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the dispatcher knows about a worker in memory: its registration (resources, skills), its
 * last reported status and when it was last heard from (epoch milliseconds).
 */
public record WorkerState(WorkerRegistration registration, String status, long lastSeenAt, Set<String> skillNames) {

    public WorkerState {
        skillNames = Set.copyOf(skillNames);
    }

    public static WorkerState of(WorkerRegistration registration, String status, long lastSeenAt) {
        List<SkillInfo> skills = registration.supportedSkills() == null ? List.of() : registration.supportedSkills();
        Set<String> names = skills.stream().filter(Objects::nonNull).map(SkillInfo::name)
                .collect(Collectors.toSet());
        return new WorkerState(registration, status, lastSeenAt, names);
    }

    public String workerId() {
        return registration.workerId();
    }

    public WorkerState seen(String newStatus, long now) {
        return new WorkerState(registration, newStatus == null ? status : newStatus, now, skillNames);
    }

    public boolean isAlive(long now, long livenessMillis) {
        return now - lastSeenAt <= livenessMillis && !WorkerStatus.OFFLINE.is(status);
    }
}
