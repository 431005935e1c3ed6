package io.rxon.orchestrator.security;

import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * Static-token authentication of workers (PROTOCOL.md §5.2 and §11.2): a per-worker token binds
 * its holder to that worker id; the global token lets its holder act under the id it names.
 * Unknown or missing credentials are 401; a valid token used for another worker's id is 403.
 */
@ApplicationScoped
public class WorkerAuthenticator {

    private final Map<String, String> perWorkerTokens;
    private final String globalToken;

    public WorkerAuthenticator(OrchestratorConfig config, StaticTokens tokens) {
        Map<String, String> own = new HashMap<>(OrchestratorConfig.parsePairs(config.workerTokenList(),
                "RXON_WORKER_TOKENS"));
        own.putAll(config.workerTokens());
        this.perWorkerTokens = Map.copyOf(own);
        this.globalToken = tokens.workerToken();
    }

    /**
     * @param token from {@code X-Worker-Token} or {@code Authorization: Bearer}
     * @param workerId the id the request claims (path segment, {@code X-Worker-ID} or body)
     */
    public WorkerIdentity authenticate(String token, String workerId) {
        if (token == null || token.isEmpty()) {
            throw new UnauthenticatedException("Missing worker token (X-Worker-Token or Authorization: Bearer)");
        }
        if (workerId == null || workerId.isEmpty()) {
            throw new UnauthenticatedException("Missing worker id (X-Worker-ID)");
        }
        String own = perWorkerTokens.get(workerId);
        if (own != null && equal(own, token)) {
            return checked(new WorkerIdentity(workerId, own));
        }
        if (own == null && equal(globalToken, token)) {
            return checked(new WorkerIdentity(workerId, globalToken));
        }
        for (Map.Entry<String, String> entry : perWorkerTokens.entrySet()) {
            if (equal(entry.getValue(), token)) {
                throw new ForbiddenActionException("Token of worker '" + entry.getKey()
                        + "' may not act as worker '" + workerId + "'");
            }
        }
        if (own != null && equal(globalToken, token)) {
            throw new ForbiddenActionException("Worker '" + workerId + "' has its own token; the global token is not accepted for it");
        }
        throw new UnauthenticatedException("Invalid worker token");
    }

    /** The secret a worker's messages are signed with: its own token, else the global token. */
    public String signingSecret(String workerId) {
        return perWorkerTokens.getOrDefault(workerId, globalToken);
    }

    private static WorkerIdentity checked(WorkerIdentity identity) {
        if (Protocol.GHOST_WORKER_ID.equals(identity.workerId())) {
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
