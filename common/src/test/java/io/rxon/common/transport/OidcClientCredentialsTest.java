package io.rxon.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonNetworkException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcClientCredentialsTest {

    private HttpServer server;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void startTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = status == 200
                    ? ("{\"access_token\":\"t" + issued.incrementAndGet() + "\",\"expires_in\":60}").getBytes()
                    : "{\"error\":\"unauthorized_client\"}".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    private OidcClientCredentials credentials(Clock clock) {
        return new OidcClientCredentials(endpoint(), "rxon-worker", "s3cr3t", HttpClient.newHttpClient(), clock);
    }

    @Test
    void shouldCacheTheTokenUntilShortlyBeforeItExpires() {
        MutableClock clock = new MutableClock();
        OidcClientCredentials credentials = credentials(clock);

        assertThat(credentials.token()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(50));
        assertThat(credentials.token()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(6));
        assertThat(credentials.token()).isEqualTo("t2");
        assertThat(forms.get(0)).contains("grant_type=client_credentials").contains("client_id=rxon-worker");
    }

    @Test
    void shouldFetchANewTokenOnRefresh() {
        OidcClientCredentials credentials = credentials(Clock.systemUTC());
        credentials.token();

        assertThat(credentials.refresh()).hasValue("t2");
    }

    @Test
    void shouldReportRefusedCredentialsAsAuthErrors() {
        status = 401;

        assertThatThrownBy(() -> credentials(Clock.systemUTC()).token()).isInstanceOf(RxonAuthException.class);
        assertThat(credentials(Clock.systemUTC()).refresh()).isEmpty();
    }

    @Test
    void shouldReportAnUnreachableProviderAsANetworkErrorSoCallersBackOff() {
        URI nowhere = endpoint();
        server.stop(0);
        OidcClientCredentials credentials = new OidcClientCredentials(nowhere, "c", "s");

        assertThatThrownBy(credentials::token).isInstanceOf(RxonNetworkException.class);
    }

    @Test
    void shouldNeverPrintTheSecret() {
        assertThat(credentials(Clock.systemUTC()).toString()).doesNotContain("s3cr3t");
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
