package io.rxon.orchestrator.security;

import io.rxon.orchestrator.config.AuthMode;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates API clients: static tokens (the default client {@code RXON_CLIENT_TOKEN} and any
 * of {@code RXON_CLIENTS}) and Keycloak bearer tokens, by {@code Authorization: Bearer} or
 * {@code X-Client-Token}. A Keycloak client's jobs belong to its principal, prefixed
 * {@code oidc:} so it can never collide with a static client id.
 */
@ApplicationScoped
public class ClientAuthenticator {

    public static final String DEFAULT_CLIENT_ID = "default";

    private final Map<String, String> tokensByClient;
    private final Set<String> admins;
    private final AuthMode mode;
    private final OidcTokens oidc;
    private final RateLimiter limiter;

    public ClientAuthenticator(OrchestratorConfig config, StaticTokens tokens, OidcTokens oidc, RateLimiter limiter) {
        Map<String, String> clients = new LinkedHashMap<>(OrchestratorConfig.parsePairs(config.clientList(),
                "RXON_CLIENTS"));
        clients.putAll(config.clients());
        clients.putIfAbsent(DEFAULT_CLIENT_ID, tokens.clientToken());
        this.tokensByClient = Map.copyOf(clients);
        this.admins = Set.copyOf(config.auth().adminClients());
        this.mode = config.auth().mode();
        this.oidc = oidc;
        this.limiter = limiter;
    }

    /**
     * The token static client {@code clientId} authenticates with now; empty when there is no such
     * client or static tokens are off. Console sessions opened with a static token end once it is
     * no longer this one (ConsoleSessions).
     */
    public Optional<String> staticToken(String clientId) {
        return mode.acceptsStatic() ? Optional.ofNullable(tokensByClient.get(clientId)) : Optional.empty();
    }

    RateLimiter limiter() {
        return limiter;
    }

    public Uni<ClientIdentity> authenticate(String authorizationHeader, String clientTokenHeader) {
        return Uni.createFrom().deferred(() -> {
            String token = WorkerAuthenticator.tokenFrom(clientTokenHeader, authorizationHeader);
            if (token == null) {
                throw new UnauthenticatedException("Missing client token (Authorization: Bearer or X-Client-Token)");
            }
            if (mode.acceptsOidc() && OidcTokens.looksLikeJwt(token)) {
                return oidc.verify(token).map(identity -> new ClientIdentity("oidc:" + identity.principal(),
                        identity.hasRole(OidcIdentity.ROLE_CLIENT), identity.hasRole(OidcIdentity.ROLE_ADMIN)));
            }
            if (!mode.acceptsStatic()) {
                throw new UnauthenticatedException("Static client tokens are disabled (RXON_AUTH_MODE=oidc)");
            }
            String clientId = staticClient(token);
            return Uni.createFrom().item(new ClientIdentity(clientId, true, admins.contains(clientId)));
        });
    }

    private String staticClient(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        String match = null;
        for (Map.Entry<String, String> client : tokensByClient.entrySet()) {
            if (MessageDigest.isEqual(client.getValue().getBytes(StandardCharsets.UTF_8), given)) {
                match = client.getKey();
            }
        }
        if (match == null) {
            throw new UnauthenticatedException("Invalid client token");
        }
        return match;
    }
}
