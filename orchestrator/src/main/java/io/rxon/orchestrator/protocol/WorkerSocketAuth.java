package io.rxon.orchestrator.protocol;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.error.ErrorCatalog;
import io.rxon.orchestrator.security.WorkerAuthenticator;
import io.rxon.orchestrator.security.WorkerIdentity;
import io.rxon.orchestrator.worker.WorkerDirectory;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authenticates the WebSocket upgrade before it happens (PROTOCOL.md §4.5): the same headers and
 * rules as the HTTP endpoints, 401 or 403 instead of an upgrade, and the authenticated identity
 * handed to the socket through the connection's user data. A worker registered through another
 * replica is loaded from the database first, so push is negotiated from its stored registration.
 * The socket's generation is taken here, when the upgrade is accepted: it orders a worker's sockets
 * as the worker opened them ({@link NewestSockets}), which the order of their {@code @OnOpen}
 * callbacks does not.
 */
@ApplicationScoped
public class WorkerSocketAuth implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> WORKER_ID = UserData.TypedKey.forString("rxon.worker-id");
    static final UserData.TypedKey<WorkerIdentity> IDENTITY = new UserData.TypedKey<>("rxon.worker-identity");
    static final UserData.TypedKey<Long> GENERATION = UserData.TypedKey.forLong("rxon.socket-generation");

    private final WorkerAuthenticator authenticator;
    private final WorkerDirectory directory;
    private final SocketRouter router;

    public WorkerSocketAuth(WorkerAuthenticator authenticator, WorkerDirectory directory, SocketRouter router) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.router = router;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return WorkerSocket.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String token = WorkerAuthenticator.tokenFrom(request.getHeader(Protocol.HEADER_WORKER_TOKEN),
                request.getHeader("Authorization"));
        return authenticator.authenticate(token, context.pathParam("worker_id"))
                .call(identity -> directory.known(identity.workerId()))
                .chain(identity -> {
                    context.userData().put(WORKER_ID, identity.workerId());
                    context.userData().put(IDENTITY, identity);
                    context.userData().put(GENERATION, router.nextGeneration());
                    return CheckResult.permitUpgrade();
                })
                .onFailure().recoverWithUni(error -> {
                    ErrorCatalog.Entry entry = ErrorCatalog.of(error);
                    Log.infof("socket upgrade for %s refused with %d: %s", context.pathParam("worker_id"),
                            entry.status(), error.getMessage());
                    return CheckResult.rejectUpgrade(entry.status());
                });
    }
}
