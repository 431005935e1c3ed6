package io.rxon.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rxon.common.json.Json;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

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
        assertThat(SchemaValidator.compile(schema(schema)).validate(value(instance)).isEmpty()).isEqualTo(valid);
    }

    @Test
    void shouldAcceptAnythingWhenTheSchemaIsEmptyOrNull() {
        assertThat(SchemaValidator.compile(null).isValid(Map.of("a", 1))).isTrue();
        assertThat(SchemaValidator.compile(Map.of()).isValid(List.of())).isTrue();
    }

    @Test
    void shouldNameTheJsonPathOfEveryViolation() {
        // given a nested schema and a document with two mistakes
        Map<String, Object> schema = schema("""
                {"type": "object", "required": ["name"],
                 "properties": {"sizes": {"type": "array", "items": {"type": "integer", "minimum": 1}}}}
                """);

        // when validated
        List<String> violations = SchemaValidator.compile(schema).validate(value("{\"sizes\": [3, 0]}"));

        // then each violation names where it is (in the validator's wording)
        assertThat(violations).containsExactlyInAnyOrder(
                "$: required property 'name' not found",
                "$.sizes[1]: must have a minimum value of 1");
    }

    @Test
    void shouldSayWhichTypeWasExpectedAndWhichArrived() {
        assertThat(SchemaValidator.compile(schema("{\"type\":\"object\"}")).validate(null))
                .containsExactly("$: null found, object expected");
    }

    @Test
    void shouldAcceptJavaNumbersOfEveryWidth() {
        Map<String, Object> integer = schema("{\"type\":\"integer\",\"minimum\":1}");
        assertThat(SchemaValidator.compile(integer).isValid(5)).isTrue();
        assertThat(SchemaValidator.compile(integer).isValid(5L)).isTrue();
        assertThat(SchemaValidator.compile(integer).isValid(new BigInteger("99999999999999999999"))).isTrue();
        assertThat(SchemaValidator.compile(integer).isValid(5.0f)).isTrue();
        assertThat(SchemaValidator.compile(integer).isValid(Double.NaN)).isFalse();
    }

    @Test
    void shouldStopReportingAfterTheLimit() {
        // given an array of a hundred wrong items
        Object[] strings = new Object[100];
        Arrays.fill(strings, "x");

        // when validated
        List<String> violations = SchemaValidator.compile(schema("{\"items\":{\"type\":\"integer\"}}"))
                .validate(List.of(strings));

        // then the report is capped
        assertThat(violations).hasSize(SchemaValidator.MAX_VIOLATIONS);
    }

    @Test
    void shouldFollowRefsAndAssertFormats() {
        // given a schema whose property is defined under $defs and must be an e-mail address
        SchemaValidator validator = SchemaValidator.compile(schema("""
                {"type": "object", "required": ["to"],
                 "properties": {"to": {"$ref": "#/$defs/address"}},
                 "$defs": {"address": {"type": "string", "format": "email"}}}
                """));

        // when a good and a bad address are checked
        List<String> good = validator.validate(value("{\"to\": \"ops@example.org\"}"));
        List<String> bad = validator.validate(value("{\"to\": \"not an address\"}"));

        // then the reference is followed and the format is enforced
        assertThat(good).isEmpty();
        assertThat(bad).singleElement().asString().startsWith("$.to: ").contains("email");
    }

    @Test
    void shouldHonourTheDraftThatSchemaNames() {
        // given the same tuple schema read as draft-07 (items as a list: a tuple) and as 2020-12 (prefixItems)
        SchemaValidator draft7 = SchemaValidator.compile(schema("""
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "items": [{"type": "string"}], "additionalItems": false}
                """));
        SchemaValidator draft2020 = SchemaValidator.compile(schema("""
                {"prefixItems": [{"type": "string"}], "items": false}
                """));

        // then both refuse an array longer than the tuple and accept one that fits
        assertThat(draft7.validate(value("[\"a\", 1]"))).isNotEmpty();
        assertThat(draft7.validate(value("[\"a\"]"))).isEmpty();
        assertThat(draft2020.validate(value("[\"a\", 1]"))).isNotEmpty();
        assertThat(draft2020.validate(value("[\"a\"]"))).isEmpty();
    }

    @Test
    void shouldCheckNothingWhenTheSchemaCannotBeCompiledAndNeverFetchAnything() throws Exception {
        // given a schema server on 127.0.0.1 that counts its requests
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            // and schemas that cannot work: a dangling $ref, a reference to that server, an unknown draft there
            List<String> broken = List.of(
                    "{\"$ref\": \"#/$defs/missing\"}",
                    "{\"$ref\": \"" + base + "/schema.json\"}",
                    "{\"$schema\": \"" + base + "/no-such-draft\", \"type\": \"string\"}");

            // when each is compiled and used
            for (String json : broken) {
                SchemaValidator validator = SchemaValidator.compile(schema(json));

                // then it checks nothing (the reference's "no validator")
                assertThat(validator.acceptsEverything()).as(json).isTrue();
                assertThat(validator.validate(42)).as(json).isEmpty();
            }
            // and nothing was fetched: a worker's schema cannot make the orchestrator call out
            assertThat(fetches).hasValue(0);
        } finally {
            server.stop(0);
        }
    }
}
