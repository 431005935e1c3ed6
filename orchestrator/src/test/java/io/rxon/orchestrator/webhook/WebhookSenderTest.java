package io.rxon.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One webhook call against real receivers on loopback: 127.0.0.2 is allow-listed, 127.0.0.1 is
 * not. A stand-in resolver plays a hostile or a nonexistent DNS name, which the system resolver
 * could not: with it the tests show that the name is resolved once and the checked address is
 * the one connected to.
 */
class WebhookSenderTest {

    /** One request as the receiver saw it. */
    record Received(String host, String uri, Map<String, List<String>> headers, byte[] body) {}

    private static final Buffer BODY = Buffer.buffer("{\"event\":\"job_finished\",\"job_id\":\"j1\"}");

    private final Vertx vertx = Vertx.vertx();
    private final WebhookAddressPolicy policy = WebhookAddressPolicy.allowing(List.of("127.0.0.2"));
    private final Queue<Received> allowed = new ConcurrentLinkedQueue<>();
    private final Queue<Received> inside = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private HttpServer allowedReceiver;
    private HttpServer insideReceiver;

    @BeforeEach
    void startReceivers() throws IOException {
        insideReceiver = receiver("127.0.0.1", inside, 204, null);
        allowedReceiver = receiver("127.0.0.2", allowed, 204, null);
    }

    @AfterEach
    void stop() {
        allowedReceiver.stop(0);
        insideReceiver.stop(0);
        vertx.closeAndAwait();
    }

    private static HttpServer receiver(String address, Queue<Received> calls, int status, String location)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            calls.add(new Received(exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private WebhookSender sender(Map<String, List<String>> dns) {
        return new WebhookSender(vertx, Duration.ofSeconds(5), policy, new WebhookSigner("secret"), Clock.systemUTC(),
                host -> {
                    lookups.incrementAndGet();
                    if (!dns.containsKey(host)) {
                        throw new UnknownHostException(host); // as the system resolver does
                    }
                    List<InetAddress> answer = new java.util.ArrayList<>();
                    for (String literal : dns.get(host)) {
                        // like the system resolver's answer, each address carries the name asked for
                        answer.add(InetAddress.getByAddress(host, address(literal).getAddress()));
                    }
                    return answer;
                });
    }

    private static InetAddress address(String literal) {
        return ((IpLiterals.Literal) IpLiterals.parse(literal)).address();
    }

    private WebhookSender.Outcome send(WebhookSender sender, String url) {
        return sender.send(url, BODY).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void shouldConnectToTheCheckedAddressUnderTheNameAndSignTheExactBody() {
        // given a name only the stand-in DNS knows, answering with the allow-listed address
        WebhookSender sender = sender(Map.of("hooks.rebind.invalid", List.of("127.0.0.2")));
        int port = allowedReceiver.getAddress().getPort();

        // when a call goes to it
        WebhookSender.Outcome outcome = send(sender, "http://hooks.rebind.invalid:" + port + "/hook?k=v");

        // then it was resolved once and the receiver got it under the name, signed over timestamp and body
        assertThat(outcome.kind()).isEqualTo(WebhookSender.Outcome.Kind.DELIVERED);
        assertThat(lookups).hasValue(1);
        Received call = allowed.remove();
        assertThat(call.host()).isEqualTo("hooks.rebind.invalid:" + port);
        assertThat(call.uri()).isEqualTo("/hook?k=v");
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo(BODY.toString());
        long timestamp = Long.parseLong(call.headers().get("X-rxon-timestamp").get(0));
        assertThat(call.headers().get("X-rxon-signature"))
                .containsExactly(new WebhookSigner("secret").signature(timestamp, call.body()));
        assertThat(timestamp).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    }

    @Test
    void shouldRefuseANameWhoseAnswerHoldsAnInternalAddressWithoutConnecting() {
        // given a name that answers with a public and a loopback address (a rebinding attempt)
        WebhookSender sender = sender(Map.of("mixed.example", List.of("203.0.113.5", "127.0.0.1")));

        // when a call goes to it
        WebhookSender.Outcome outcome = send(sender,
                "http://mixed.example:" + insideReceiver.getAddress().getPort() + "/hook");

        // then it is refused and nothing was connected to
        assertThat(outcome.kind()).isEqualTo(WebhookSender.Outcome.Kind.REFUSED);
        assertThat(outcome.detail()).contains("127.0.0.1").contains("loopback");
        assertThat(inside).isEmpty();
        assertThat(allowed).isEmpty();
    }

    @Test
    void shouldRefuseAnInternalLiteralAtDeliveryWithoutAnyLookup() {
        WebhookSender sender = sender(Map.of());

        WebhookSender.Outcome outcome = send(sender, "http://0x7f000001:" + insideReceiver.getAddress().getPort() + "/");

        assertThat(outcome.kind()).isEqualTo(WebhookSender.Outcome.Kind.REFUSED);
        assertThat(lookups).hasValue(0);
        assertThat(inside).isEmpty();
    }

    @Test
    void shouldNotFollowARedirectIntoTheInternalNetwork() throws IOException {
        // given an allowed receiver that redirects to an internal one
        HttpServer redirecting = receiver("127.0.0.2", allowed, 307,
                "http://127.0.0.1:" + insideReceiver.getAddress().getPort() + "/");
        try {
            // when a call goes to it
            WebhookSender.Outcome outcome = send(sender(Map.of()),
                    "http://127.0.0.2:" + redirecting.getAddress().getPort() + "/");

            // then the redirect counts as a failed attempt and the internal receiver is never called
            assertThat(outcome.kind()).isEqualTo(WebhookSender.Outcome.Kind.FAILED);
            assertThat(outcome.detail()).isEqualTo("HTTP 307");
            assertThat(allowed).hasSize(1);
            assertThat(inside).isEmpty();
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void shouldFailAnAttemptWhoseNameDoesNotResolveSoItCanBeRetried() {
        WebhookSender.Outcome outcome = send(sender(Map.of()), "http://nowhere.invalid/");

        assertThat(outcome.kind()).isEqualTo(WebhookSender.Outcome.Kind.FAILED);
        assertThat(inside).isEmpty();
    }
}
