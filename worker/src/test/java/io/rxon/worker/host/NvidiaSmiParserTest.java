package io.rxon.worker.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import io.rxon.common.matching.ResourceMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NvidiaSmiParserTest {

    private static final String TWO_GPUS = """
            0, NVIDIA GeForce RTX 4090, 24564
            1, NVIDIA A100-SXM4-80GB, 81920

            """;

    @Test
    void shouldReadEveryGpuOfTheInventory() {
        // when the output of two GPUs is parsed
        List<HardwareDevice> gpus = NvidiaSmiParser.parseInventory(TWO_GPUS);

        // then each is a gpu device with its index as id, its name as model and its memory in GB
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0)).isEqualTo(new HardwareDevice("gpu", "NVIDIA GeForce RTX 4090", "0",
                Map.of("vram_gb", 24.0, "memory_mb", 24564L), null));
        assertThat(gpus.get(1).model()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(gpus.get(1).properties()).containsEntry("vram_gb", 80.0);
    }

    @Test
    void shouldMatchTheRequirementsUsersWriteForTheseCards() {
        // given the parsed inventory
        Resources available = new Resources(NvidiaSmiParser.parseInventory(TWO_GPUS), Map.of());

        // then "an RTX 4090 with at least 24 GB" and "an 80 GB A100" both match
        Resources rtx = new Resources(List.of(new HardwareDevice("gpu", "rtx 4090", null, Map.of("vram_gb", 24), null)),
                null);
        Resources a100 = new Resources(List.of(new HardwareDevice("gpu", "A100", null, Map.of("vram_gb", 80), null)),
                null);
        assertThat(ResourceMatcher.matches(available, rtx)).isTrue();
        assertThat(ResourceMatcher.matches(available, a100)).isTrue();
    }

    @Test
    void shouldSkipErrorLinesAndLeaveOutUnknownMemory() {
        // given a GPU without memory figure and an error line
        String output = """
                Unable to determine the device handle for GPU 0000:3B:00.0: Unknown Error
                2, Tesla T4, [N/A]
                """;

        // when parsed
        List<HardwareDevice> gpus = NvidiaSmiParser.parseInventory(output);

        // then only the readable GPU remains, without invented properties
        assertThat(gpus).containsExactly(new HardwareDevice("gpu", "Tesla T4", "2", null, null));
    }

    @Test
    void shouldKeepCommasInsideTheModelName() {
        assertThat(NvidiaSmiParser.parseInventory("0, Weird, Name GPU, 1024").get(0).model())
                .isEqualTo("Weird, Name GPU");
    }

    @Test
    void shouldReadNothingFromEmptyOrMissingOutput() {
        assertThat(NvidiaSmiParser.parseInventory("")).isEmpty();
        assertThat(NvidiaSmiParser.parseInventory(null)).isEmpty();
        assertThat(NvidiaSmiParser.parseUsage("No devices were found")).isEmpty();
    }

    @Test
    void shouldReadUtilisationMemoryAndTemperature() {
        // when usage output is parsed
        List<DeviceUsage> usage = NvidiaSmiParser.parseUsage("""
                0, 87, 20480, 71
                1, [N/A], [N/A], 40
                """);

        // then load, memory in GB and temperature are reported, unknowns left out
        assertThat(usage).containsExactly(
                new DeviceUsage("0", 87.0, Map.of("memory_used_gb", 20.0, "temperature_c", 71L)),
                new DeviceUsage("1", 0.0, Map.of("temperature_c", 40L)));
    }
}
