package io.rxon.common.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.error.RxonSecurityException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZeroTrustGateTest {

    private static final long NOW = 1_760_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final HmacSigner KEY = new HmacSigner("token-w1");

    private final ZeroTrustGate gate = new ZeroTrustGate(CLOCK);

    private static JsonNode signedHeartbeat(long timestamp, String signerId) {
        Heartbeat signed = new MessageSigning(KEY, signerId).sign(Heartbeat.of("w1", "idle", List.of(), timestamp));
        return Json.tree(Json.write(signed));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 60, -60, 59})
    void shouldAcceptTimestampsWithinSixtySeconds(long offset) {
        assertThatCode(() -> gate.check(signedHeartbeat(NOW + offset, "w1"), "w1", KEY, List.of()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(longs = {61, -61, 3600, -86400})
    void shouldRejectStaleOrFutureTimestamps(long offset) {
        assertThatThrownBy(() -> gate.check(signedHeartbeat(NOW + offset, "w1"), "w1", KEY, List.of()))
                .isInstanceOf(RxonSecurityException.class)
                .hasMessageContaining("replay protection");
    }

    @Test
    void shouldRequireATimestampEvenWithoutAKey() {
        JsonNode message = Json.tree("{\"worker_id\":\"w1\",\"status\":\"idle\"}".getBytes());

        assertThatThrownBy(() -> gate.check(message, "w1", null, List.of()))
                .isInstanceOf(RxonSecurityException.class)
                .hasMessageContaining("timestamp");
    }

    @Test
    void shouldRequireASignatureWhenAKeyExists() {
        JsonNode message = Json.tree(("{\"worker_id\":\"w1\",\"status\":\"idle\",\"timestamp\":" + NOW + "}").getBytes());

        assertThatThrownBy(() -> gate.check(message, "w1", KEY, List.of()))
                .hasMessageContaining("Missing required signature");
        assertThatCode(() -> gate.check(message, "w1", null, List.of())).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectASignerOtherThanTheAuthenticatedSender() {
        assertThatThrownBy(() -> gate.check(signedHeartbeat(NOW, "w2"), "w1", KEY, List.of()))
                .hasMessageContaining("Signer ID mismatch");
    }

    @Test
    void shouldRejectATamperedBody() {
        ObjectNode message = (ObjectNode) signedHeartbeat(NOW, "w1");
        message.put("status", "busy");

        assertThatThrownBy(() -> gate.check(message, "w1", KEY, List.of())).hasMessageContaining("Invalid");
    }

    @Test
    void shouldRejectASignatureMadeWithAnotherKey() {
        assertThatThrownBy(() -> gate.check(signedHeartbeat(NOW, "w1"), "w1", new HmacSigner("other"), List.of()))
                .hasMessageContaining("Invalid");
    }

    @Test
    void shouldRejectNonObjectMessages() {
        assertThatThrownBy(() -> gate.check(Json.tree("[1]".getBytes()), "w1", KEY, List.of()))
                .isInstanceOf(RxonSecurityException.class);
    }
}
