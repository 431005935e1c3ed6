package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The first message of a worker: who it is, what it has and which skills it offers. */
@WireMessage
public record WorkerRegistration(
        String workerId,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitGeneric.class) String workerType,
        List<SkillInfo> supportedSkills,
        List<String> availableSkills,
        List<String> hotSkills,
        Resources resources,
        Map<String, String> installedSoftware,
        List<InstalledArtifact> installedArtifacts,
        WorkerCapabilities capabilities,
        String skillsHash,
        SecurityContext security,
        Map<String, Object> metadata,
        Long timestamp)
        implements Signable<WorkerRegistration> {

    public static final String DEFAULT_WORKER_TYPE = "generic";

    public WorkerRegistration {
        Wire.required(workerId, "worker_id");
        workerType = Wire.orDefault(workerType, DEFAULT_WORKER_TYPE);
        supportedSkills = Wire.list(supportedSkills);
        availableSkills = Wire.list(availableSkills);
        hotSkills = Wire.list(hotSkills);
        installedSoftware = Wire.map(installedSoftware);
        installedArtifacts = Wire.list(installedArtifacts);
        metadata = Wire.map(metadata);
    }

    /** Whether the worker announced the push-dispatch extension ({@code capabilities.extra.push_dispatch = true}). */
    public boolean asksForPushDispatch() {
        return capabilities != null && capabilities.hasExtraFlag(Protocol.EXTRA_PUSH_DISPATCH);
    }

    @Override
    public WorkerRegistration withSecurity(SecurityContext security) {
        return new WorkerRegistration(workerId, workerType, supportedSkills, availableSkills, hotSkills, resources,
                installedSoftware, installedArtifacts, capabilities, skillsHash, security, metadata, timestamp);
    }

    public WorkerRegistration withTimestamp(long epochSeconds) {
        return new WorkerRegistration(workerId, workerType, supportedSkills, availableSkills, hotSkills, resources,
                installedSoftware, installedArtifacts, capabilities, skillsHash, security, metadata, epochSeconds);
    }
}
