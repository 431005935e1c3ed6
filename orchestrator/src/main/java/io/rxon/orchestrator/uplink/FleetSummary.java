package io.rxon.orchestrator.uplink;

import io.rxon.common.json.CanonicalJson;
import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this orchestrator offers its parent, summarised from its live workers so that the parent's
 * matching (PROTOCOL.md §6) sends it exactly the tasks its fleet can run: the union of their skills
 * with their schemas (the first worker, by id, that declares a skill gives its description), every
 * distinct device (so a requirement for the largest GPU any child has matches), host properties
 * at their largest (numbers) or united (lists), and the flag and depth that mark it as an
 * orchestrator ({@link Protocol#EXTRA_ORCHESTRATOR}).
 */
final class FleetSummary {

    static final String WORKER_TYPE = "orchestrator";

    /**
     * The most levels a summary claims: in a loop of parents (which tasks are refused in) each
     * registration would otherwise claim one level more than the other's, for ever.
     */
    static final int MAX_LEVELS = 16;

    private FleetSummary() {}

    static WorkerRegistration registration(String workerId, String hostname, Collection<WorkerState> fleet) {
        return registration(workerId, hostname, fleet, false, null);
    }

    /**
     * @param push announce push dispatch ({@link Protocol#EXTRA_PUSH_DISPATCH}): the parent may push
     *     tasks over the socket
     * @param s3ConfigHash this orchestrator's store (PROTOCOL.md §8), so that a parent with another store hands
     *     out its blobs through presigned URLs; null without S3
     */
    static WorkerRegistration registration(String workerId, String hostname, Collection<WorkerState> fleet,
            boolean push, String s3ConfigHash) {
        List<WorkerState> workers = new ArrayList<>(fleet);
        workers.sort(Comparator.comparing(WorkerState::workerId));
        Map<String, SkillInfo> skills = new TreeMap<>();
        Map<String, String> software = new TreeMap<>();
        Set<InstalledArtifact> artifacts = new LinkedHashSet<>();
        Set<List<Object>> seenDevices = new LinkedHashSet<>();
        List<HardwareDevice> devices = new ArrayList<>();
        Map<String, Object> properties = new TreeMap<>();
        int levels = 1;
        for (WorkerState worker : workers) {
            WorkerRegistration registration = worker.registration();
            registration.supportedSkills().forEach(skill -> skills.putIfAbsent(skill.name(), skill));
            software.putAll(registration.installedSoftware() == null ? Map.of() : registration.installedSoftware());
            artifacts.addAll(registration.installedArtifacts() == null ? List.of()
                    : registration.installedArtifacts());
            Resources resources = registration.resources();
            if (resources != null) {
                for (HardwareDevice device : resources.devices() == null ? List.<HardwareDevice>of()
                        : resources.devices()) {
                    if (seenDevices.add(java.util.Arrays.asList(device.type(), device.model(), device.properties()))) {
                        devices.add(new HardwareDevice(device.type(), device.model(),
                                device.id() == null ? null : worker.workerId() + "/" + device.id(),
                                device.properties(), null));
                    }
                }
                (resources.properties() == null ? Map.<String, Object>of() : resources.properties())
                        .forEach((key, value) -> properties.merge(key, value, FleetSummary::widest));
            }
            levels = Math.min(MAX_LEVELS, Math.max(levels, 1 + levelsOf(registration)));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(Protocol.EXTRA_ORCHESTRATOR, true);
        extra.put(Protocol.EXTRA_HOLARCHY_LEVELS, levels);
        if (push) {
            extra.put(Protocol.EXTRA_PUSH_DISPATCH, true);
        }
        List<SkillInfo> offered = List.copyOf(skills.values());
        return new WorkerRegistration(workerId, WORKER_TYPE, offered, null, null,
                new Resources(devices, properties), software, List.copyOf(artifacts),
                new WorkerCapabilities(hostname, null, null, s3ConfigHash, extra), CanonicalJson.sha256Hex(offered), null,
                Map.of("fleet_workers", workers.size()), null);
    }

    /**
     * The fleet's telemetry as one worker's: the mean CPU load, the RAM in use summed, and every
     * device's usage under an id that names its worker ({@code worker/unit}).
     */
    static ResourcesUsage usage(Map<String, ResourcesUsage> fleet) {
        if (fleet.isEmpty()) {
            return null;
        }
        double cpu = 0;
        double ram = 0;
        List<DeviceUsage> devices = new ArrayList<>();
        for (Map.Entry<String, ResourcesUsage> worker : fleet.entrySet()) {
            ResourcesUsage usage = worker.getValue();
            cpu += usage.cpuLoadPercent();
            ram += usage.ramUsedGb();
            (usage.devicesUsage() == null ? List.<DeviceUsage>of() : usage.devicesUsage()).forEach(device ->
                    devices.add(new DeviceUsage(worker.getKey() + "/" + device.unitId(), device.loadPercent(),
                            device.metrics())));
        }
        return new ResourcesUsage(cpu / fleet.size(), ram, devices.isEmpty() ? null : devices);
    }

    /** How many levels of orchestrators a registration spans (0 for a plain worker). */
    static int levelsOf(WorkerRegistration registration) {
        if (registration.capabilities() == null
                || !registration.capabilities().hasExtraFlag(Protocol.EXTRA_ORCHESTRATOR)) {
            return 0;
        }
        return registration.capabilities().extra().get(Protocol.EXTRA_HOLARCHY_LEVELS) instanceof Number number
                ? number.intValue() : 1;
    }

    /** The fingerprint that says whether a registration changed (everything but timestamp and signature). */
    static String fingerprint(WorkerRegistration registration) {
        return CanonicalJson.sha256Hex(registration.withSecurity(null).withTimestamp(0));
    }

    /** Two children's values of one host property: the larger number, or both lists' elements. */
    private static Object widest(Object left, Object right) {
        if (left instanceof Number a && right instanceof Number b) {
            return a.doubleValue() >= b.doubleValue() ? a : b;
        }
        if (left instanceof Collection<?> a && right instanceof Collection<?> b) {
            Set<Object> union = new LinkedHashSet<>(a);
            union.addAll(b);
            return List.copyOf(union);
        }
        return left;
    }
}
