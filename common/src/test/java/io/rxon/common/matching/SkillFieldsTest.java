package io.rxon.common.matching;

import static io.rxon.common.matching.MatchingFixtures.parse;
import static io.rxon.common.matching.MatchingFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.SkillInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkillFieldsTest {

    private static final SkillInfo SKILL = parse("""
            {"name":"resize","type":"image","description":"Resizes","version":"1.2",
             "input_schema":{"type":"object"},"output_schema":{"type":"array"},"events_schema":{"tick":{}},
             "output_statuses":["retry_later"],"schema_dialect":"none",
             "properties":{"price":0.5,"version":"9","category":"media"}}
            """, SkillInfo.class);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            name            | "resize"
            type            | "image"
            description     | "Resizes"
            version         | "1.2"
            input_schema    | {"type":"object"}
            output_schema   | {"type":"array"}
            events_schema   | {"tick":{}}
            output_statuses | ["retry_later"]
            schema_dialect  | "none"
            properties      | {"price":0.5,"version":"9","category":"media"}
            price           | 0.5
            category        | "media"
            colour          | null
            inputSchema     | null
            """)
    void shouldPreferTheAttributeOverPropertiesWhenLookingUpASkillField(String field, String expected) {
        // given
        SkillInfo skill = SKILL;

        // when
        Object found = SkillFields.valueOf(skill, field);

        // then
        assertThat(found).isEqualTo(value(expected));
    }

    @Test
    void shouldFallBackToPropertiesWhenTheAttributeIsNull() {
        // given
        SkillInfo skill = parse("{\"name\":\"resize\",\"properties\":{\"type\":\"image\"}}", SkillInfo.class);

        // when
        Object type = SkillFields.valueOf(skill, "type");

        // then
        assertThat(type).isEqualTo("image");
    }

    @Test
    void shouldFindNothingWhenSkillHasNoProperties() {
        // given
        SkillInfo skill = SkillInfo.named("resize");

        // when
        Object category = SkillFields.valueOf(skill, "category");

        // then
        assertThat(category).isNull();
    }
}
