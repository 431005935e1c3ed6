package io.rxon.orchestrator.security;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Static-token authentication of API clients: the default client ({@code RXON_CLIENT_TOKEN}) and
 * any configured under {@code rxon.orchestrator.clients}. The token travels as
 * {@code Authorization: Bearer} or {@code X-Client-Token}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    public static final String DEFAULT_CLIENT_ID = "default";

    private final Map<String, String> tokensByClient;

    public ClientAuthenticator(OrchestratorConfig config, StaticTokens tokens) {
        Map<String, String> clients = new LinkedHashMap<>(OrchestratorConfig.parsePairs(config.clientList(),
                "RXON_CLIENTS"));
        clients.putAll(config.clients());
        clients.putIfAbsent(DEFAULT_CLIENT_ID, tokens.clientToken());
        this.tokensByClient = Map.copyOf(clients);
    }

    public ClientIdentity authenticate(String authorizationHeader, String clientTokenHeader) {
        String token = WorkerAuthenticator.tokenFrom(clientTokenHeader, authorizationHeader);
        if (token == null) {
            throw new UnauthenticatedException("Missing client token (Authorization: Bearer or X-Client-Token)");
        }
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
        return new ClientIdentity(match);
    }
}
