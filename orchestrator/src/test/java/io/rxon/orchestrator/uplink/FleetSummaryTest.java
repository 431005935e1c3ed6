package io.rxon.orchestrator.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.matching.ResourceMatcher;
import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an orchestrator tells its parent it can do, from its workers' registrations. */
class FleetSummaryTest {

    @Test
    void shouldOfferEverySkillEveryDistinctDeviceAndTheWidestHostProperties() {
        // given a small-GPU worker and a big-GPU worker with overlapping skills
        WorkerState small = worker("small", List.of("render", "echo"), new Resources(
                List.of(new HardwareDevice("gpu", "RTX 3060", "0", Map.of("vram_gb", 12), null)),
                Map.of("cpu_cores", 8, "tags", List.of("eu"))));
        WorkerState big = worker("big", List.of("render", "train"), new Resources(
                List.of(new HardwareDevice("gpu", "A100", "0", Map.of("vram_gb", 80), null)),
                Map.of("cpu_cores", 64, "tags", List.of("fast"))));

        // when they are summarised
        WorkerRegistration summary = FleetSummary.registration("region", "host", List.of(small, big));

        // then the parent sees one orchestrator worker with all skills, both GPUs and the largest host
        assertThat(summary.workerType()).isEqualTo("orchestrator");
        assertThat(summary.supportedSkills()).extracting(SkillInfo::name).containsExactly("echo", "render", "train");
        assertThat(summary.resources().devices()).extracting(HardwareDevice::model).containsExactly("A100", "RTX 3060");
        assertThat(summary.resources().properties()).containsEntry("cpu_cores", 64)
                .containsEntry("tags", List.of("fast", "eu"));
        assertThat(summary.capabilities().extra()).containsEntry("rxon_orchestrator", true)
                .containsEntry("holarchy_levels", 1);
        assertThat(ResourceMatcher.matches(summary.resources(), new Resources(
                List.of(new HardwareDevice("gpu", null, null, Map.of("vram_gb", 40), null)), null))).isTrue();
    }

    @Test
    void shouldCountTheLevelsOfOrchestratorsBelowAndChangeItsFingerprintOnlyWhenTheOfferChanges() {
        // given a fleet with an orchestrator worker one level deep
        WorkerRegistration lower = FleetSummary.registration("lower", "host",
                List.of(worker("leaf", List.of("echo"), null)));
        WorkerState lowerState = WorkerState.of(lower, "idle", 0);

        // when it is summarised twice, and once with another skill
        WorkerRegistration first = FleetSummary.registration("upper", "host", List.of(lowerState));
        WorkerRegistration again = FleetSummary.registration("upper", "host", List.of(lowerState));
        WorkerRegistration changed = FleetSummary.registration("upper", "host",
                List.of(lowerState, worker("other", List.of("train"), null)));

        // then it spans two levels, and only the changed offer has a new fingerprint
        assertThat(first.capabilities().extra()).containsEntry("holarchy_levels", 2);
        assertThat(FleetSummary.fingerprint(again)).isEqualTo(FleetSummary.fingerprint(first));
        assertThat(FleetSummary.fingerprint(changed)).isNotEqualTo(FleetSummary.fingerprint(first));
    }

    @Test
    void shouldReportTheFleetsUsageAsOneWorkersWithEveryDeviceNamedByItsWorker() {
        // given the usage two workers reported
        Map<String, ResourcesUsage> fleet = new java.util.TreeMap<>(Map.of(
                "big", new ResourcesUsage(80, 100, List.of(new DeviceUsage("0", 90, null))),
                "small", new ResourcesUsage(20, 8, null)));

        // when it is summarised
        ResourcesUsage usage = FleetSummary.usage(fleet);

        // then CPU load is their mean, RAM their sum, and the GPU is named by its worker
        assertThat(usage.cpuLoadPercent()).isEqualTo(50.0);
        assertThat(usage.ramUsedGb()).isEqualTo(108.0);
        assertThat(usage.devicesUsage()).extracting(DeviceUsage::unitId).containsExactly("big/0");
        assertThat(FleetSummary.usage(Map.of())).isNull();
    }

    private static WorkerState worker(String id, List<String> skills, Resources resources) {
        return WorkerState.of(new WorkerRegistration(id, null, skills.stream().map(SkillInfo::named).toList(), null,
                null, resources, null, null, new WorkerCapabilities("h", null, null, null, null), null, null, null,
                null), "idle", 0);
    }
}
