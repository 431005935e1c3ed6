package io.rxon.common.matching;

import static io.rxon.common.matching.MatchingFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PropertyRuleTest {

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            8                              | 8                              | true
            16                             | 8                              | true
            4                              | 8                              | false
            8.0                            | 8                              | true
            7.5                            | 8                              | false
            8                              | 7.5                            | true
            24                             | 23.999                         | true
            true                           | 1                              | true
            false                          | 1                              | false
            1                              | true                           | true
            true                           | false                          | true
            false                          | true                           | false
            9007199254740993               | 9007199254740992.0             | true
            9007199254740992.0             | 9007199254740993               | false
            123456789012345678901234567890 | 123456789012345678901234567889 | true
            123456789012345678901234567889 | 123456789012345678901234567890 | false
            """)
    void shouldRequireAtLeastTheRequiredValueWhenBothAreNumeric(String available, String required, boolean expected) {
        // given
        Object offered = value(available);
        Object wanted = value(required);

        // when
        boolean matches = PropertyRule.valueMatches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ["fp16","int8"] | ["int8","fp32"]    | true
            ["fp16"]        | ["int8"]           | false
            []              | ["int8"]           | false
            [1, 2]          | [2.0]              | true
            "linux"         | ["linux","darwin"] | true
            "windows"       | ["linux","darwin"] | false
            1               | [1.0, 2]           | true
            3               | [1, 2]             | false
            true            | [1]                | true
            {"a":1}         | [{"a":1.0}]        | true
            "linux"         | []                 | false
            ["linux"]       | []                 | false
            []              | []                 | false
            ["cuda","rocm"] | "cuda"             | true
            ["cuda"]        | "rocm"             | false
            [8, 16]         | 16.0               | true
            [8, 16]         | 12                 | false
            [{"a":1}]       | {"a":1.0}          | true
            ["8"]           | 8                  | false
            """)
    void shouldMatchByMembershipOrIntersectionWhenEitherSideIsAList(
            String available, String required, boolean expected) {
        // given
        Object offered = value(available);
        Object wanted = value(required);

        // when
        boolean matches = PropertyRule.valueMatches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "16GB"            | 8                      | false
            8                 | "8"                    | false
            "16GB"            | "16GB"                 | true
            "16gb"            | "16GB"                 | false
            {"a":1}           | 1                      | false
            1                 | {"a":1}                | false
            {"a":1,"b":[1,2]} | {"b":[1.0,2],"a":true} | true
            {"a":1}           | {"a":1,"b":2}          | false
            {"a":1}           | {"b":1}                | false
            {"a":2}           | {"a":1}                | false
            "true"            | true                   | false
            true              | "true"                 | false
            "eu-west"         | null                   | false
            """)
    void shouldRequireStrictEqualityWhenNeitherNumbersNorLists(String available, String required, boolean expected) {
        // given
        Object offered = value(available);
        Object wanted = value(required);

        // when
        boolean matches = PropertyRule.valueMatches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "required {0} -> fails")
    @CsvSource(delimiter = '|', textBlock = """
            8
            "linux"
            ["a"]
            null
            """)
    void shouldFailWhenAvailableValueIsNull(String required) {
        // given
        Object wanted = value(required);

        // when
        boolean matches = PropertyRule.valueMatches(null, wanted);

        // then
        assertThat(matches).isFalse();
    }

    @ParameterizedTest(name = "available {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                           | {"vram_gb":8}               | false
            {"vram_gb":null}             | {"vram_gb":8}               | false
            {"x":null}                   | {"x":null}                  | false
            {"vram_gb":24}               | {"vram_gb":8}               | true
            {"vram_gb":24,"cuda":"12.1"} | {"vram_gb":8,"cuda":"12.2"} | false
            {"vram_gb":24,"cuda":"12.1"} | {"vram_gb":8,"cuda":"12.1"} | true
            {}                           | {}                          | true
            null                         | {}                          | true
            null                         | null                        | true
            {"vram_gb":24}               | null                        | true
            null                         | {"vram_gb":8}               | false
            """)
    void shouldRequireEveryPropertyWhenMatchingMaps(String available, String required, boolean expected) {
        // given
        Map<String, Object> offered = map(available);
        Map<String, Object> wanted = map(required);

        // when
        boolean matches = PropertyRule.matches(offered, wanted);

        // then
        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldTreatMissingKeyLikeNullWhenMapAllowsNullValues() {
        // given
        Map<String, Object> offered = new HashMap<>();
        offered.put("tier", null);

        // when
        boolean matches = PropertyRule.matches(offered, Map.of("tier", "gold"));

        // then
        assertThat(matches).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) {
        return (Map<String, Object>) value(json);
    }
}
