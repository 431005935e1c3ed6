package io.rxon.orchestrator.webhook;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One webhook call: judges the URL, resolves its host once, judges every address, then connects
 * to the judged address itself (the host name only goes into {@code Host} and TLS), so a DNS
 * answer that changes between check and connect (rebinding) cannot redirect the call inside.
 * Redirects are not followed. The body is signed by {@link WebhookSigner} per attempt.
 */
@ApplicationScoped
public class WebhookSender {

    /** Resolves a host name to all its addresses; the system resolver unless a test stands in for DNS. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** How one attempt ended: delivered (2xx), failed (worth retrying) or refused by the policy (never retried). */
    public record Outcome(Kind kind, String detail) {
        public enum Kind { DELIVERED, FAILED, REFUSED }

        static Outcome of(Kind kind, String detail) {
            return new Outcome(kind, detail);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final WebhookAddressPolicy policy;
    private final WebhookSigner signer;
    private final Clock clock;
    private final Duration timeout;
    private final Resolver resolver;

    @Inject
    public WebhookSender(Vertx vertx, OrchestratorConfig config, WebhookAddressPolicy policy, WebhookSigner signer,
            Clock clock) {
        this(vertx, config.webhooks().timeout(), policy, signer, clock, host -> List.of(InetAddress.getAllByName(host)));
    }

    public WebhookSender(Vertx vertx, Duration timeout, WebhookAddressPolicy policy, WebhookSigner signer, Clock clock,
            Resolver resolver) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setForceSni(true).setVerifyHost(true));
        this.policy = policy;
        this.signer = signer;
        this.clock = clock;
        this.timeout = timeout;
        this.resolver = resolver;
    }

    /** Posts these exact JSON bytes to the URL, if the policy allows it now. */
    public Uni<Outcome> send(String url, Buffer body) {
        WebhookAddressPolicy.Verdict verdict = policy.check(url);
        if (verdict instanceof WebhookAddressPolicy.Refused refused) {
            return Uni.createFrom().item(Outcome.of(Outcome.Kind.REFUSED, refused.reason()));
        }
        WebhookAddressPolicy.Target target = (WebhookAddressPolicy.Target) verdict;
        return addresses(target)
                .chain(addresses -> policy.refusal(target, addresses)
                        .map(reason -> Uni.createFrom().item(Outcome.of(Outcome.Kind.REFUSED, reason)))
                        .orElseGet(() -> post(target, addresses.get(0), body)))
                .onFailure().recoverWithItem(error -> Outcome.of(Outcome.Kind.FAILED, String.valueOf(error.getMessage())));
    }

    private Uni<List<InetAddress>> addresses(WebhookAddressPolicy.Target target) {
        if (target.literal().isPresent()) {
            return Uni.createFrom().item(List.of(target.literal().get()));
        }
        // The system resolver blocks: keep it off the event loop.
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return resolver.resolve(target.host());
            } catch (UnknownHostException e) {
                throw new UncheckedIOException("cannot resolve " + target.host(), e);
            }
        }), false);
    }

    private Uni<Outcome> post(WebhookAddressPolicy.Target target, InetAddress address, Buffer body) {
        long timestamp = clock.instant().getEpochSecond();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(withoutName(address), target.port())))
                .setHost(target.host()).setPort(target.port()).setSsl(target.ssl()).setURI(target.pathAndQuery())
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                .putHeader(WebhookSigner.SIGNATURE_HEADER, signer.signature(timestamp, body.getBytes()));
        return client.request(request).chain(call -> call.send(body))
                .chain(response -> response.end().replaceWith(response))
                .ifNoItem().after(timeout).fail()
                .map(WebhookSender::outcome);
    }

    /** The bare address: a resolver's answer remembers the name, and nothing downstream may look it up again. */
    private static InetAddress withoutName(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address's own bytes are always an address", e);
        }
    }

    private static Outcome outcome(HttpClientResponse response) {
        return response.statusCode() / 100 == 2 ? Outcome.of(Outcome.Kind.DELIVERED, null)
                : Outcome.of(Outcome.Kind.FAILED, "HTTP " + response.statusCode());
    }
}
