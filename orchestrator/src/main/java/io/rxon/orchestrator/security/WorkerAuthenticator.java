package io.rxon.orchestrator.security;

import io.rxon.orchestrator.config.AuthMode;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates workers (PROTOCOL.md §5.2 and §11.2). Static tokens: a per-worker token binds its
 * holder to that worker id; the global token lets its holder act under the id it names. Keycloak
 * tokens (role {@code rxon-worker}): the token's client may act as the worker id equal to its
 * client id or starting with {@code <client id>-} (pod names of a Deployment). Unknown, missing or
 * expired credentials are 401; a valid credential used for another worker's id is 403.
 */
@ApplicationScoped
public class WorkerAuthenticator {

    private final Map<String, String> perWorkerTokens;
    private final String globalToken;
    private final AuthMode mode;
    private final OidcTokens oidc;

    public WorkerAuthenticator(OrchestratorConfig config, StaticTokens tokens, OidcTokens oidc) {
        Map<String, String> own = new HashMap<>(OrchestratorConfig.parsePairs(config.workerTokenList(),
                "RXON_WORKER_TOKENS"));
        own.putAll(config.workerTokens());
        this.perWorkerTokens = Map.copyOf(own);
        this.globalToken = tokens.workerToken();
        this.mode = config.auth().mode();
        this.oidc = oidc;
    }

    /**
     * @param token from {@code X-Worker-Token} or {@code Authorization: Bearer}
     * @param workerId the id the request claims (path segment, {@code X-Worker-ID} or body)
     */
    public Uni<WorkerIdentity> authenticate(String token, String workerId) {
        return Uni.createFrom().deferred(() -> {
            if (token == null || token.isEmpty()) {
                throw new UnauthenticatedException("Missing worker token (X-Worker-Token or Authorization: Bearer)");
            }
            if (workerId == null || workerId.isEmpty()) {
                throw new UnauthenticatedException("Missing worker id (X-Worker-ID)");
            }
            Ids.require(workerId, "worker id");
            if (mode.acceptsOidc() && OidcTokens.looksLikeJwt(token)) {
                return oidc.verify(token).map(identity -> bind(identity, workerId));
            }
            if (!mode.acceptsStatic()) {
                throw new UnauthenticatedException("Static worker tokens are disabled (RXON_AUTH_MODE=oidc)");
            }
            return Uni.createFrom().item(authenticateStatic(token, workerId));
        });
    }

    private static WorkerIdentity bind(OidcIdentity token, String workerId) {
        if (!token.hasRole(OidcIdentity.ROLE_WORKER)) {
            throw new ForbiddenActionException("Client '" + token.clientId() + "' lacks the role "
                    + OidcIdentity.ROLE_WORKER);
        }
        if (!workerId.equals(token.clientId()) && !workerId.startsWith(token.clientId() + "-")) {
            throw new ForbiddenActionException("Client '" + token.clientId() + "' may not act as worker '" + workerId
                    + "' (allowed: " + token.clientId() + " and " + token.clientId() + "-*)");
        }
        return checked(new WorkerIdentity(workerId, null, token.expiresAt()));
    }

    private WorkerIdentity authenticateStatic(String token, String workerId) {
        String own = perWorkerTokens.get(workerId);
        if (own != null && equal(own, token)) {
            return checked(WorkerIdentity.ofStatic(workerId, own));
        }
        if (own == null && equal(globalToken, token)) {
            return checked(WorkerIdentity.ofStatic(workerId, globalToken));
        }
        Optional<String> owner = perWorkerTokens.entrySet().stream().filter(entry -> equal(entry.getValue(), token))
                .map(Map.Entry::getKey).findFirst();
        if (owner.isPresent()) {
            throw new ForbiddenActionException("Token of worker '" + owner.get() + "' may not act as worker '"
                    + workerId + "'");
        }
        if (own != null && equal(globalToken, token)) {
            throw new ForbiddenActionException("Worker '" + workerId
                    + "' has its own token; the global token is not accepted for it");
        }
        throw new UnauthenticatedException("Invalid worker token");
    }

    /** The HMAC secret of a static-token worker: its own token, else the global token. */
    public String signingSecret(String workerId) {
        return perWorkerTokens.getOrDefault(workerId, globalToken);
    }

    private static WorkerIdentity checked(WorkerIdentity identity) {
        if (Protocol.GHOST_WORKER_ID.equalsIgnoreCase(identity.workerId())) {
            throw new ForbiddenActionException("The worker id 'ghost' is reserved for the orchestrator");
        }
        return identity;
    }

    private static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of a request: {@code X-Worker-Token} first, then a bearer token. */
    public static String tokenFrom(String workerTokenHeader, String authorizationHeader) {
        if (workerTokenHeader != null && !workerTokenHeader.isEmpty()) {
            return workerTokenHeader;
        }
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorizationHeader.substring(7).trim();
        }
        return null;
    }
}
