package io.rxon.common.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.json.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Worker credentials from an OIDC provider (Keycloak) with the client-credentials grant: the
 * access token is cached and fetched again shortly before it expires or after a 401. When the
 * provider is down the failure surfaces as a network error, so the worker's loops back off and
 * retry. The client secret and tokens never appear in logs or {@code toString}.
 */
public final class OidcClientCredentials implements Credentials {

    private static final System.Logger LOG = System.getLogger(OidcClientCredentials.class.getName());
    /** Renew this long before expiry, so a request never leaves with a token about to die. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private final Clock clock;
    private String accessToken;
    private Instant expiresAt = Instant.MIN;

    public OidcClientCredentials(URI tokenEndpoint, String clientId, String clientSecret, HttpClient http, Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = http;
        this.clock = clock;
    }

    public OidcClientCredentials(URI tokenEndpoint, String clientId, String clientSecret) {
        this(tokenEndpoint, clientId, clientSecret, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                Clock.systemUTC());
    }

    /**
     * The cached token, or a new one when it is about to expire.
     *
     * @throws RxonNetworkException when the provider cannot be reached (retry later)
     * @throws RxonAuthException when it refuses the client's credentials
     */
    @Override
    public synchronized String token() {
        if (accessToken == null || !clock.instant().isBefore(expiresAt.minus(MARGIN))) {
            fetch();
        }
        return accessToken;
    }

    /** After a 401: a new token, or empty when none can be had now. */
    @Override
    public synchronized Optional<String> refresh() {
        try {
            fetch();
            return Optional.of(accessToken);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot refresh the worker''s access token: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RxonNetworkException("identity provider unreachable at " + tokenEndpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonNetworkException("interrupted while fetching an access token", e);
        }
        if (response.statusCode() >= 500) {
            throw new RxonNetworkException("identity provider answered HTTP " + response.statusCode(), null);
        }
        if (response.statusCode() != 200) {
            throw new RxonAuthException("identity provider refused client '" + clientId + "': HTTP "
                    + response.statusCode(), response.statusCode());
        }
        JsonNode body = Json.tree(response.body().getBytes(StandardCharsets.UTF_8));
        accessToken = body.path("access_token").asText(null);
        if (accessToken == null) {
            throw new RxonAuthException("identity provider sent no access_token", response.statusCode());
        }
        expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(60));
        LOG.log(Level.DEBUG, "Fetched an access token for {0}, valid until {1}", clientId, expiresAt);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OidcClientCredentials[" + clientId + " @ " + tokenEndpoint + ", secret=***]";
    }
}
