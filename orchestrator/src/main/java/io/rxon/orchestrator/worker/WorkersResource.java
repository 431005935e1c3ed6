package io.rxon.orchestrator.worker;

import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.rxon.common.protocol.WireMessage;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/workers}: the registered workers with resources, skills, status and running tasks. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {

    /** One worker as the API shows it; instants are epoch milliseconds. */
    @WireMessage
    public record WorkerView(String workerId, String status, Map<String, Object> registration,
            Map<String, Object> usage, List<String> currentTasks, long registeredAt, long lastHeartbeatAt) {}

    private final ClientAuthenticator authenticator;
    private final WorkerService workers;

    public WorkersResource(ClientAuthenticator authenticator, WorkerService workers) {
        this.authenticator = authenticator;
        this.workers = workers;
    }

    @GET
    public Uni<List<WorkerView>> list(HttpHeaders headers) {
        ClientAuthentication.of(authenticator, headers);
        return workers.list().map(all -> all.stream()
                .map(worker -> new WorkerView(worker.id, worker.status, worker.registration, worker.usage,
                        worker.currentTasks == null ? List.of() : List.of(worker.currentTasks), worker.registeredAt,
                        worker.lastSeenAt))
                .toList());
    }
}
