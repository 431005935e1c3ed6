package io.rxon.worker.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.matching.ResourceMatcher;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostInventoryTest {

    private static final HardwareDevice GPU = new HardwareDevice("gpu", "NVIDIA L4", "0", Map.of("vram_gb", 24.0),
            null);

    @Test
    void shouldAdvertiseDiscoveredAndConfiguredResources() {
        // given a discovered GPU, a configured sensor, a host property and tags
        HardwareDevice sensor = new HardwareDevice("sensor", "BME280", "env-1", Map.of("range_c", 85L), null);

        // when the resources are assembled
        Resources resources = HostInventory.resources(8, 31.2, List.of(GPU), List.of(sensor),
                Map.of("location", "lab-1"), List.of("edge", "eu"));

        // then they contain both devices and every property, typed
        assertThat(resources.devices()).containsExactly(GPU, sensor);
        assertThat(resources.properties()).containsEntry("cpu_cores", 8).containsEntry("ram_gb", 31.2)
                .containsEntry("location", "lab-1").containsEntry("tags", List.of("edge", "eu"))
                .containsKeys("os", "arch");

        // and a task needing a sensor with range ≥ 60 and 4 cores matches
        Resources requirement = new Resources(List.of(new HardwareDevice("sensor", null, null,
                Map.of("range_c", 60), null)), Map.of("cpu_cores", 4));
        assertThat(ResourceMatcher.matches(resources, requirement)).isTrue();
    }

    @Test
    void shouldLetConfigurationCorrectADiscoveredDeviceAndOverrideProperties() {
        // given a configured GPU with the same type and id as the discovered one
        HardwareDevice corrected = new HardwareDevice("gpu", "NVIDIA L4 (MIG 1g.6gb)", "0", Map.of("vram_gb", 6),
                null);

        // when assembled with a cpu_cores override
        Resources resources = HostInventory.resources(8, 0, List.of(GPU), List.of(corrected),
                Map.of("cpu_cores", 2), List.of());

        // then the configured device replaces the discovered one, and configuration wins
        assertThat(resources.devices()).containsExactly(corrected);
        assertThat(resources.properties()).containsEntry("cpu_cores", 2).doesNotContainKeys("ram_gb", "tags");
    }
}
