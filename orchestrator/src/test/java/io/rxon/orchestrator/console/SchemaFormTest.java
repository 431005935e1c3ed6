package io.rxon.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rxon.orchestrator.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaFormTest {

    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "required", List.of("name"),
            "properties", Map.of(
                    "name", Map.of("type", "string", "description", "who"),
                    "ratio", Map.of("type", "number"),
                    "count", Map.of("type", "integer", "default", 2),
                    "dry_run", Map.of("type", "boolean"),
                    "size", Map.of("enum", List.of("s", "m")),
                    "tags", Map.of("type", "array")));

    @Test
    void shouldBuildOneFieldPerPropertyOfTheRightKind() {
        // when
        List<SchemaForm.Field> fields = SchemaForm.fields(SCHEMA);

        // then
        assertThat(fields).extracting(SchemaForm.Field::name, SchemaForm.Field::kind, SchemaForm.Field::required)
                .containsExactlyInAnyOrder(
                        tuple("name", "text", true),
                        tuple("ratio", "number", false),
                        tuple("count", "integer", false),
                        tuple("dry_run", "boolean", false),
                        tuple("size", "choice", false),
                        tuple("tags", "json", false));
        assertThat(fields).filteredOn(field -> field.name().equals("count")).extracting(SchemaForm.Field::defaultValue)
                .containsExactly("2");
    }

    @Test
    void shouldTurnPostedFieldsIntoTypedParamsAndLeaveEmptyOptionalOnesOut() {
        // given
        Map<String, String> posted = Map.of("param.name", "ada", "param.ratio", "0.5", "param.count", "7",
                "param.size", "m", "param.tags", "[\"a\",\"b\"]");

        // when
        Map<String, Object> params = SchemaForm.params(SchemaForm.fields(SCHEMA), posted::get);

        // then
        assertThat(params).containsEntry("name", "ada").containsEntry("ratio", 0.5).containsEntry("count", 7L)
                .containsEntry("dry_run", false).containsEntry("size", "m").containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void shouldRefuseAMissingRequiredFieldAndAMalformedNumber() {
        List<SchemaForm.Field> fields = SchemaForm.fields(SCHEMA);

        assertThatThrownBy(() -> SchemaForm.params(fields, Map.<String, String>of()::get))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("name is required");
        assertThatThrownBy(() -> SchemaForm.params(fields, Map.of("param.name", "x", "param.count", "1.5")::get))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("count must be a whole number");
    }

    @Test
    void shouldOfferNoFieldsForASkillWithoutASchema() {
        assertThat(SchemaForm.fields(null)).isEmpty();
        assertThat(SchemaForm.fields(Map.of("type", "object"))).isEmpty();
    }
}
