package io.rxon.common.matching;

import static io.rxon.common.matching.MatchingFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsTest {

    @ParameterizedTest(name = "{0} -> properties {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"cpu_cores":4}                              | {"cpu_cores":4}
            {"ram_gb":16}                                | {"ram_gb":16}
            {"cpu_cores":4,"os":"linux"}                 | {"cpu_cores":4,"os":"linux"}
            {"properties":{"cpu_cores":2},"cpu_cores":4} | {"cpu_cores":2}
            """)
    void shouldReadHostPropertiesWhenResourcesRequirementIsFlat(String resources, String properties) {
        // given
        Map<String, Object> job = Map.of("resources", MatchingFixtures.value(resources));

        // when
        Requirements requirements = Json.convert(job, Requirements.class);

        // then
        assertThat(requirements.resources().properties()).isEqualTo(MatchingFixtures.value(properties));
        assertThat(requirements.resources().devices()).isNull();
    }

    @Test
    void shouldIgnoreFlatKeysWhenNeitherCpuCoresNorRamGbIsPresent() {
        // given
        String job = "{\"resources\":{\"os\":\"linux\"}}";

        // when
        Requirements requirements = parse(job, Requirements.class);

        // then: like the reference, an unknown flat key is not a host property
        assertThat(requirements.resources()).isEqualTo(new Resources(null, null));
    }

    @Test
    void shouldReadDevicesAndPropertiesWhenResourcesRequirementHasWireForm() {
        // given
        String job = """
                {"resources":{"devices":[{"type":"gpu","model":"A100","properties":{"vram_gb":80}}],
                              "properties":{"cpu_cores":8}}}
                """;

        // when
        Requirements requirements = parse(job, Requirements.class);

        // then
        assertThat(requirements.resources().devices())
                .containsExactly(new HardwareDevice("gpu", "A100", null, Map.of("vram_gb", 80), null));
        assertThat(requirements.resources().properties()).isEqualTo(Map.of("cpu_cores", 8));
    }

    @ParameterizedTest(name = "resources {0} is rejected")
    @CsvSource(delimiter = '|', textBlock = """
            "gpu"
            [{"type":"gpu"}]
            {"devices":[{"model":"A100"}]}
            """)
    void shouldRejectResourcesRequirementWhenItIsNotAResourcesObject(String resources) {
        // given
        Map<String, Object> job = Map.of("resources", MatchingFixtures.value(resources));

        // when / then
        assertThatThrownBy(() -> Json.convert(job, Requirements.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Failed to decode Requirements");
    }

    @Test
    void shouldMeanAnyVersionWhenArtifactIsGivenByName() {
        // given
        String job = """
                {"installed_artifacts":["llama",{"name":"whisper","version":"3","properties":{"size":"large"}}]}
                """;

        // when
        Requirements requirements = parse(job, Requirements.class);

        // then
        assertThat(requirements.installedArtifacts()).containsExactly(
                new InstalledArtifact("llama", InstalledArtifact.ANY_VERSION, null, null),
                new InstalledArtifact("whisper", "3", null, Map.of("size", "large")));
    }

    @ParameterizedTest(name = "installed_artifacts {0} is rejected")
    @CsvSource(delimiter = '|', textBlock = """
            [null]
            [5]
            [{"version":"1"}]
            """)
    void shouldRejectArtifactRequirementWhenItIsNeitherNameNorArtifact(String artifacts) {
        // given
        String job = "{\"installed_artifacts\":" + artifacts + "}";

        // when / then
        assertThatThrownBy(() -> parse(job, Requirements.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Failed to decode Requirements");
    }

    @Test
    void shouldReadEverySnakeCaseFieldWhenParsingAJobsRequirements() {
        // given
        String job = """
                {"installed_software":{"python":"3.11"},"skill_version":"1.2","skill_type":"image",
                 "skill":{"category":"media"},"extra_requirements":{"region":"eu"},"params":{"ignored":true}}
                """;

        // when
        Requirements requirements = parse(job, Requirements.class);

        // then
        assertThat(requirements).isEqualTo(new Requirements(null, null, Map.of("python", "3.11"), "1.2", "image",
                Map.of("category", "media"), Map.of("region", "eu")));
    }

    @Test
    void shouldReadTheSameRequirementsWhenWrittenAndParsedAgain() {
        // given
        Requirements original = new Requirements(
                new Resources(List.of(HardwareDevice.of("gpu", "A100")), Map.of("cpu_cores", 4)),
                List.of(new InstalledArtifact("llama", "2.0", null, null)),
                Map.of("python", "any"), "1.2", "image", Map.of("price", 0.5), Map.of("region", "eu"));

        // when
        Requirements copy = Json.read(Json.write(original), Requirements.class);

        // then
        assertThat(copy).isEqualTo(original);
    }

    @Test
    void shouldRequireNothingWhenRequirementsAreEmpty() {
        // given
        String job = "{}";

        // when
        Requirements requirements = parse(job, Requirements.class);

        // then
        assertThat(requirements).isEqualTo(Requirements.NONE);
    }
}
