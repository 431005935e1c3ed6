package io.rxon.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.TestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every signature computed by the reference Python library must be reproduced byte for byte. */
class ProtocolVectorsTest {

    private static final JsonNode FILE = TestResources.json("protocol-vectors.json");

    static Stream<Arguments> vectors() {
        List<Arguments> arguments = new ArrayList<>();
        FILE.get("vectors").forEach(vector -> arguments.add(Arguments.of(vector.get("name").asText(), vector)));
        return arguments.stream();
    }

    @Test
    void shouldCarryTheVectorsSourceNote() {
        assertThat(FILE.get("source").asText()).contains("reference Python rxon");
        assertThat(FILE.get("vectors")).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void shouldReproduceReferenceHmacSignature(String name, JsonNode vector) {
        // given
        String input = vector.get("input").asText();
        String secret = vector.get("secret").asText();
        List<String> ignored = new ArrayList<>();
        vector.get("ignore_fields").forEach(field -> ignored.add(field.asText()));

        // when
        String signature = Signatures.hmacSha256Hex(input, secret, ignored);

        // then
        assertThat(signature).isEqualTo(vector.get("hmac_sha256_hex").asText());
    }
}
