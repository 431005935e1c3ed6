package io.rxon.worker.host;

import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.WorkerCapabilities;
import java.util.List;
import java.util.Map;

/**
 * Everything a registration says about this worker apart from its skills: type, resources
 * (devices and host properties), installed software and artifacts, capabilities. Discovered once
 * at start-up; the orchestrator matches task requirements against it.
 */
public record WorkerProfile(
        String workerType,
        Resources resources,
        Map<String, String> installedSoftware,
        List<InstalledArtifact> installedArtifacts,
        WorkerCapabilities capabilities) {

    public WorkerProfile {
        installedSoftware = installedSoftware == null ? Map.of() : Map.copyOf(installedSoftware);
        installedArtifacts = installedArtifacts == null ? List.of() : List.copyOf(installedArtifacts);
    }

    /** A bare profile (generic type, no resources): enough for tests and minimal workers. */
    public static WorkerProfile minimal(String hostname) {
        return new WorkerProfile(null, null, null, null, new WorkerCapabilities(hostname, null, null, null, null));
    }
}
