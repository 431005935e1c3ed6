package io.rxon.common.transport;

import static io.rxon.common.transport.TestMessages.WORKER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.Signatures;
import io.rxon.common.transport.StubOrchestrator.Reply;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL scheme alone picks the transport, as the reference's {@code create_transport} does. */
class TransportsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://orchestrator:8080/, http://orchestrator:8080, false, ws://orchestrator:8080/_worker/ws/worker-1",
        "https://orchestrator/api//, https://orchestrator/api, false, wss://orchestrator/api/_worker/ws/worker-1",
        "ws://orchestrator:8080, http://orchestrator:8080, true, ws://orchestrator:8080/_worker/ws/worker-1",
        "wss://orchestrator, https://orchestrator, true, wss://orchestrator/_worker/ws/worker-1",
    })
    void shouldCreateHttpTransportForWebSchemes(String url, String baseUrl, boolean socketPreferred, String socketUri) {
        // when
        Transport transport = Transports.create(url, WORKER_ID, "token");

        // then
        assertThat(transport).isInstanceOfSatisfying(HttpTransport.class, http -> {
            assertThat(http.baseUrl()).isEqualTo(baseUrl);
            assertThat(http.socketPreferred()).isEqualTo(socketPreferred);
            assertThat(http.socketUri()).isEqualTo(URI.create(socketUri));
        });
    }

    @Test
    void shouldCreateMockTransportForMockScheme() {
        // when
        Transport transport = Transports.create("mock://test", WORKER_ID, "token");

        // then
        assertThat(transport).isInstanceOfSatisfying(MockTransport.class, mock -> {
            assertThat(mock.workerId()).isEqualTo(WORKER_ID);
            assertThat(mock.token()).isEqualTo("token");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://orchestrator", "orchestrator:8080", "", "tcp://127.0.0.1"})
    void shouldRejectUnsupportedSchemes(String url) {
        assertThatThrownBy(() -> Transports.create(url, WORKER_ID, "token"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported transport scheme in URL: " + url);
    }

    @Test
    void shouldRejectWorkerIdsThatAreNotIdentifiers() {
        assertThatThrownBy(() -> Transports.create("http://orchestrator", "../admin", "token"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker_id");
    }

    @Test
    void shouldSignWithHmacOfTheTokenByDefault() {
        try (StubOrchestrator orchestrator = StubOrchestrator.start();
                Transport transport = Transports.create(orchestrator.baseUrl(), WORKER_ID, "s3cret")) {
            // given
            orchestrator.always("PATCH", Protocol.heartbeatPath(WORKER_ID), Reply.ok("{\"status\":\"ok\"}"));

            // when
            transport.sendHeartbeat(TestMessages.heartbeat());

            // then
            JsonNode body = orchestrator.take().json();
            assertThat(Signatures.verify(body, body.at("/security/signature").asText(), new HmacSigner("s3cret"),
                    List.of())).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"your-secret-worker-token", " "})
    void shouldNotSignWithPlaceholderOrBlankToken(String token) {
        try (StubOrchestrator orchestrator = StubOrchestrator.start();
                Transport transport = Transports.create(orchestrator.baseUrl(), WORKER_ID, token)) {
            // given
            orchestrator.always("PATCH", Protocol.heartbeatPath(WORKER_ID), Reply.ok("{\"status\":\"ok\"}"));

            // when
            transport.sendHeartbeat(TestMessages.heartbeat());

            // then
            JsonNode body = orchestrator.take().json();
            assertThat(body.has("security")).isFalse();
            assertThat(body.has("timestamp")).isTrue();
        }
    }
}
