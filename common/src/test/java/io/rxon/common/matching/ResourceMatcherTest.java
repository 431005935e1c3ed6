package io.rxon.common.matching;

import static io.rxon.common.matching.MatchingFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceMatcherTest {

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"gpu"}                                        | {"type":"gpu"}                               | true
            {"type":"gpu"}                                        | {"type":"GPU"}                               | false
            {"type":"cpu"}                                        | {"type":"gpu"}                               | false
            {"type":"cpu"}                                        | {"type":""}                                  | true
            {"type":"gpu","model":"NVIDIA GeForce RTX 4090 Ti"}   | {"type":"gpu","model":"rtx 4090"}            | true
            {"type":"gpu","model":"NVIDIA GeForce RTX 3090"}      | {"type":"gpu","model":"rtx 4090"}            | false
            {"type":"gpu"}                                        | {"type":"gpu","model":"rtx 4090"}            | false
            {"type":"gpu","model":""}                             | {"type":"gpu","model":"A100"}                | false
            {"type":"gpu"}                                        | {"type":"gpu","model":""}                    | true
            {"type":"gpu","id":"0"}                               | {"type":"gpu","id":"0"}                      | true
            {"type":"gpu","id":"1"}                               | {"type":"gpu","id":"0"}                      | false
            {"type":"gpu"}                                        | {"type":"gpu","id":"0"}                      | false
            {"type":"gpu","id":"1"}                               | {"type":"gpu","id":""}                       | true
            {"type":"gpu","id":"gpu-1"}                           | {"type":"gpu","id":"GPU-1"}                  | false
            {"type":"gpu","properties":{"vram_gb":24}}            | {"type":"gpu","properties":{"vram_gb":16}}   | true
            {"type":"gpu","properties":{"vram_gb":12}}            | {"type":"gpu","properties":{"vram_gb":16}}   | false
            {"type":"gpu"}                                        | {"type":"gpu","properties":{"vram_gb":16}}   | false
            {"type":"gpu","properties":{"modes":["fp16","int8"]}} | {"type":"gpu","properties":{"modes":"int8"}} | true
            {"type":"gpu","metrics":{"temp_c":90}}                | {"type":"gpu","metrics":{"temp_c":10}}       | true
            """)
    void shouldApplyTypeModelIdAndPropertyRulesWhenMatchingDevices(
            String available, String required, boolean expected) {
        // given
        HardwareDevice offered = parse(available, HardwareDevice.class);
        HardwareDevice wanted = parse(required, HardwareDevice.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldMatchAnyDeviceButNoAbsentOneWhenDeviceRequirementIsNull() {
        // given
        HardwareDevice gpu = HardwareDevice.of("gpu", "A100");

        // when / then
        assertThat(ResourceMatcher.matches(gpu, (HardwareDevice) null)).isTrue();
        assertThat(ResourceMatcher.matches(null, gpu)).isFalse();
        assertThat(ResourceMatcher.matches((HardwareDevice) null, (HardwareDevice) null)).isFalse();
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                   | {}                                                   | true
            {"devices":[],"properties":{}}                       | {}                                                   | true
            {}                                                   | {"devices":[],"properties":{}}                       | true
            {"devices":[{"type":"gpu"}]}                         | {"devices":[]}                                       | true
            {}                                                   | {"properties":{"cpu_cores":2}}                       | false
            {"properties":{}}                                    | {"properties":{"cpu_cores":2}}                       | false
            {}                                                   | {"devices":[{"type":"gpu"}]}                         | false
            {"devices":[]}                                       | {"devices":[{"type":"gpu"}]}                         | false
            {"properties":{"cpu_cores":8,"ram_gb":32}}           | {"properties":{"cpu_cores":4,"ram_gb":16.5}}         | true
            {"properties":{"cpu_cores":2,"ram_gb":32}}           | {"properties":{"cpu_cores":4}}                       | false
            {"properties":{"tags":["edge","arm"],"os":"linux"}}  | {"properties":{"tags":"arm","os":"linux"}}           | true
            {"devices":[{"type":"tpu"}],"properties":{"tier":1}} | {"devices":[{"type":"tpu"}],"properties":{"tier":2}} | false
            {"devices":[null,{"type":"gpu"}]}                    | {"devices":[{"type":"gpu"}]}                         | true
            {"devices":[{"type":"gpu"}]}                         | {"devices":[null]}                                   | true
            {"devices":[]}                                       | {"devices":[null]}                                   | false
            """)
    void shouldTreatNullAndEmptyAlikeWhenMatchingResources(String available, String required, boolean expected) {
        // given
        Resources offered = parse(available, Resources.class);
        Resources wanted = parse(required, Resources.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldMatchAnythingWhenResourceRequirementIsNull() {
        // given
        Resources offered = parse("{\"properties\":{\"cpu_cores\":1}}", Resources.class);

        // when / then
        assertThat(ResourceMatcher.matches(offered, (Resources) null)).isTrue();
        assertThat(ResourceMatcher.matches((Resources) null, (Resources) null)).isTrue();
        assertThat(ResourceMatcher.matches((Resources) null, new Resources(null, null))).isTrue();
        assertThat(ResourceMatcher.matches(null, parse("{\"properties\":{\"cpu_cores\":1}}", Resources.class)))
                .isFalse();
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            [{"type":"gpu"}]                                  | [{"type":"gpu"},{"type":"gpu"}]                   | false
            [{"type":"gpu"},{"type":"gpu"}]                   | [{"type":"gpu"},{"type":"gpu"}]                   | true
            [{"type":"gpu"},{"type":"cpu"},{"type":"gpu"}]    | [{"type":"gpu"},{"type":"gpu"}]                   | true
            [{"type":"gpu","id":"0"},{"type":"gpu","id":"1"}] | [{"type":"gpu","id":"1"},{"type":"gpu"}]          | true
            [{"type":"gpu","id":"0"}]                         | [{"type":"gpu","id":"0"},{"type":"gpu","id":"0"}] | false
            """)
    void shouldConsumeDistinctDevicesWhenSeveralAreRequired(String available, String required, boolean expected) {
        // given
        Resources offered = parse("{\"devices\":" + available + "}", Resources.class);
        Resources wanted = parse("{\"devices\":" + required + "}", Resources.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldFailWithoutBacktrackingWhenGreedyChoiceTakesTheOnlyDeviceALaterRequirementFits() {
        // given: the 24 GB card comes first, and a perfect assignment (16 GB -> RTX 4080, 24 GB -> RTX 4090) exists
        Resources offered = parse("""
                {"devices":[
                  {"type":"gpu","model":"RTX 4090","properties":{"vram_gb":24}},
                  {"type":"gpu","model":"RTX 4080","properties":{"vram_gb":16}}]}
                """, Resources.class);
        Resources wanted = parse("""
                {"devices":[
                  {"type":"gpu","properties":{"vram_gb":16}},
                  {"type":"gpu","properties":{"vram_gb":24}}]}
                """, Resources.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then: the first requirement consumed the RTX 4090, as in the reference
        assertThat(matches).isFalse();
    }

    @Test
    void shouldMatchWhenTheSameDevicesAreRequiredMostDemandingFirst() {
        // given
        Resources offered = parse("""
                {"devices":[
                  {"type":"gpu","model":"RTX 4090","properties":{"vram_gb":24}},
                  {"type":"gpu","model":"RTX 4080","properties":{"vram_gb":16}}]}
                """, Resources.class);
        Resources wanted = parse("""
                {"devices":[
                  {"type":"gpu","properties":{"vram_gb":24}},
                  {"type":"gpu","properties":{"vram_gb":16}}]}
                """, Resources.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isTrue();
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"llama"}                                  | {"name":"llama"}                                  | true
            {"name":"llama","version":"2.0"}                  | {"name":"llama"}                                  | true
            {"name":"llama","version":"2.0"}                  | {"name":"llama","version":"unknown"}              | true
            {"name":"llama","version":"2.0"}                  | {"name":"llama","version":"2.0"}                  | true
            {"name":"llama","version":"2.0"}                  | {"name":"llama","version":"2.1"}                  | false
            {"name":"llama"}                                  | {"name":"llama","version":"2.0"}                  | false
            {"name":"llama","version":"2.0"}                  | {"name":"Llama","version":"2.0"}                  | false
            {"name":"mistral"}                                | {"name":"llama"}                                  | false
            {"name":"m","properties":{"quantization":"fp16"}} | {"name":"m","properties":{"quantization":"int8"}} | false
            {"name":"m","properties":{"context":32768}}       | {"name":"m","properties":{"context":8192}}        | true
            {"name":"m"}                                      | {"name":"m","properties":{"context":8192}}        | false
            """)
    void shouldCompareNameVersionAndPropertiesWhenMatchingArtifacts(
            String available, String required, boolean expected) {
        // given
        InstalledArtifact offered = parse(available, InstalledArtifact.class);
        InstalledArtifact wanted = parse(required, InstalledArtifact.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"resize"}                 | {"name":"resize"}                 | true
            {"name":"resize"}                 | {"name":"crop"}                   | false
            {"name":"Resize"}                 | {"name":"resize"}                 | false
            {"name":"resize","type":"image"}  | {"name":"resize","type":"image"}  | true
            {"name":"resize","type":"image"}  | {"name":"resize","type":"video"}  | false
            {"name":"resize"}                 | {"name":"resize","type":"image"}  | false
            {"name":"resize","type":"image"}  | {"name":"resize","type":""}       | false
            {"name":"resize","type":""}       | {"name":"resize","type":""}       | true
            {"name":"resize","type":"image"}  | {"name":"resize"}                 | true
            {"name":"resize","version":"1.2"} | {"name":"resize","version":"1.2"} | true
            {"name":"resize","version":"1.2"} | {"name":"resize","version":"1.3"} | false
            {"name":"resize"}                 | {"name":"resize","version":"1.2"} | false
            {"name":"resize","version":"1.2"} | {"name":"resize","version":""}    | false
            {"name":"resize","version":"1.2"} | {"name":"resize"}                 | true
            """)
    void shouldCheckTypeAndVersionOnlyIfRequiredWhenMatchingSkills(
            String available, String required, boolean expected) {
        // given
        SkillInfo offered = parse(available, SkillInfo.class);
        SkillInfo wanted = parse(required, SkillInfo.class);

        // when
        boolean matches = ResourceMatcher.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }
}
