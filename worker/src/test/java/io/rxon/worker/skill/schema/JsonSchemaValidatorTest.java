package io.rxon.worker.skill.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.json.Json;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class JsonSchemaValidatorTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String json) {
        return Json.read(json, Map.class);
    }

    private static Object value(String json) {
        return Json.read(json, Object.class);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // schema, instance, valid
                Arguments.of("{\"type\":\"object\"}", "{}", true),
                Arguments.of("{\"type\":\"object\"}", "[]", false),
                Arguments.of("{\"type\":\"object\"}", "null", false),
                Arguments.of("{\"type\":[\"object\",\"null\"]}", "null", true),
                Arguments.of("{\"type\":\"string\"}", "\"a\"", true),
                Arguments.of("{\"type\":\"string\"}", "1", false),
                Arguments.of("{\"type\":\"number\"}", "1.5", true),
                Arguments.of("{\"type\":\"number\"}", "true", false),
                Arguments.of("{\"type\":\"integer\"}", "2", true),
                Arguments.of("{\"type\":\"integer\"}", "2.0", true),
                Arguments.of("{\"type\":\"integer\"}", "2.5", false),
                Arguments.of("{\"type\":\"integer\"}", "123456789012345678901234567890", true),
                Arguments.of("{\"type\":\"boolean\"}", "false", true),
                Arguments.of("{\"type\":\"boolean\"}", "0", false),
                Arguments.of("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", "[1,2,3]", true),
                Arguments.of("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", "[1,\"2\"]", false),
                Arguments.of("{\"items\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", "[\"a\",1,true]", true),
                Arguments.of("{\"minItems\":2,\"maxItems\":3}", "[1]", false),
                Arguments.of("{\"minItems\":2,\"maxItems\":3}", "[1,2,3,4]", false),
                Arguments.of("{\"uniqueItems\":true}", "[1,2,1.0]", false),
                Arguments.of("{\"required\":[\"a\"]}", "{\"b\":1}", false),
                Arguments.of("{\"required\":[\"a\"]}", "\"not an object\"", true),
                Arguments.of("{\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":1}", false),
                Arguments.of("{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1,\"b\":2}", false),
                Arguments.of("{\"additionalProperties\":{\"type\":\"number\"}}", "{\"x\":1,\"y\":\"2\"}", false),
                Arguments.of("{\"minProperties\":1}", "{}", false),
                Arguments.of("{\"enum\":[\"red\",\"green\"]}", "\"green\"", true),
                Arguments.of("{\"enum\":[\"red\",\"green\"]}", "\"blue\"", false),
                Arguments.of("{\"enum\":[1,2]}", "2.0", true),
                Arguments.of("{\"const\":{\"a\":[1]}}", "{\"a\":[1]}", true),
                Arguments.of("{\"minimum\":0,\"maximum\":10}", "10", true),
                Arguments.of("{\"minimum\":0,\"maximum\":10}", "-0.5", false),
                Arguments.of("{\"minimum\":0,\"maximum\":10}", "10.01", false),
                Arguments.of("{\"exclusiveMinimum\":0}", "0", false),
                Arguments.of("{\"exclusiveMaximum\":5}", "4.9", true),
                Arguments.of("{\"minimum\":0,\"exclusiveMinimum\":true}", "0", false),
                Arguments.of("{\"multipleOf\":0.5}", "2.5", true),
                Arguments.of("{\"multipleOf\":0.5}", "2.3", false),
                Arguments.of("{\"minLength\":2,\"maxLength\":3}", "\"ab\"", true),
                Arguments.of("{\"minLength\":2}", "\"\uD83D\uDE00\"", false),
                Arguments.of("{\"pattern\":\"^s3://\"}", "\"s3://b/k\"", true),
                Arguments.of("{\"pattern\":\"^s3://\"}", "\"http://x\"", false),
                Arguments.of("{\"pattern\":\"([unclosed\"}", "\"anything\"", true),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", "1", true),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", "1.5", false),
                Arguments.of("{\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}", "{\"a\":1,\"b\":2}", false),
                Arguments.of("{\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}", "{\"b\":2}", true),
                Arguments.of("{\"allOf\":[{\"minimum\":1},{\"maximum\":2}]}", "3", false),
                Arguments.of("{\"not\":{\"type\":\"null\"}}", "null", false),
                Arguments.of("{\"properties\":{\"a\":false}}", "{\"a\":1}", false),
                Arguments.of("{\"$ref\":\"#/definitions/x\",\"format\":\"email\",\"x-custom\":1}", "\"x\"", true));
    }

    @ParameterizedTest(name = "{0} against {1} is valid: {2}")
    @MethodSource("cases")
    void shouldApplyTheSupportedKeywords(String schema, String instance, boolean valid) {
        assertThat(JsonSchemaValidator.validate(schema(schema), value(instance)).isEmpty()).isEqualTo(valid);
    }

    @Test
    void shouldAcceptAnythingWhenTheSchemaIsEmptyOrNull() {
        assertThat(JsonSchemaValidator.isValid(null, Map.of("a", 1))).isTrue();
        assertThat(JsonSchemaValidator.isValid(Map.of(), List.of())).isTrue();
    }

    @Test
    void shouldNameTheJsonPathOfEveryViolation() {
        // given a nested schema and a document with two mistakes
        Map<String, Object> schema = schema("""
                {"type": "object", "required": ["name"],
                 "properties": {"sizes": {"type": "array", "items": {"type": "integer", "minimum": 1}}}}
                """);

        // when validated
        List<String> violations = JsonSchemaValidator.validate(schema, value("{\"sizes\": [3, 0]}"));

        // then each violation names where it is
        assertThat(violations).containsExactlyInAnyOrder(
                "$: missing required property 'name'",
                "$.sizes[1]: must be at least 1, got 0");
    }

    @Test
    void shouldSayWhichTypeWasExpectedAndWhichArrived() {
        assertThat(JsonSchemaValidator.validate(schema("{\"type\":\"object\"}"), null))
                .containsExactly("$: expected object, got null");
    }

    @Test
    void shouldAcceptJavaNumbersOfEveryWidth() {
        Map<String, Object> integer = schema("{\"type\":\"integer\",\"minimum\":1}");
        assertThat(JsonSchemaValidator.isValid(integer, 5)).isTrue();
        assertThat(JsonSchemaValidator.isValid(integer, 5L)).isTrue();
        assertThat(JsonSchemaValidator.isValid(integer, new BigInteger("99999999999999999999"))).isTrue();
        assertThat(JsonSchemaValidator.isValid(integer, 5.0f)).isTrue();
        assertThat(JsonSchemaValidator.isValid(integer, Double.NaN)).isFalse();
    }

    @Test
    void shouldStopReportingAfterTheLimit() {
        // given an array of a hundred wrong items
        Object[] strings = new Object[100];
        Arrays.fill(strings, "x");

        // when validated
        List<String> violations = JsonSchemaValidator.validate(schema("{\"items\":{\"type\":\"integer\"}}"),
                List.of(strings));

        // then the report is capped
        assertThat(violations).hasSize(JsonSchemaValidator.MAX_VIOLATIONS);
    }
}
