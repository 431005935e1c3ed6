package io.rxon.orchestrator.worker;

import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WireMessage;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.blob.S3ConfigCheck;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.util.Map;

/** {@code GET /api/v1/workers}: the registered workers with resources, skills, status and running tasks. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {

    /**
     * One worker as the API shows it; instants are epoch milliseconds. {@code s3ConfigMatch} says
     * whether its {@code s3_config_hash} equals the orchestrator's (null when either is unknown).
     * {@code orchestrator} says whether the worker is itself an orchestrator serving this one
     * (docs/HOLARCHY.md), and {@code holarchyLevels} how many levels of orchestrators it spans down
     * to its leaf workers (1 when its own workers are plain workers; 0 for a plain worker).
     */
    @WireMessage
    public record WorkerView(String workerId, String status, Map<String, Object> registration,
            Map<String, Object> usage, List<String> currentTasks, long registeredAt, long lastHeartbeatAt,
            Boolean s3ConfigMatch, boolean orchestrator, int holarchyLevels) {

        static WorkerView of(WorkerEntity worker, S3ConfigCheck s3Check) {
            WorkerRegistration registration = Json.convert(worker.registration, WorkerRegistration.class);
            WorkerCapabilities capabilities = registration.capabilities();
            boolean orchestrator = capabilities != null && capabilities.hasExtraFlag(Protocol.EXTRA_ORCHESTRATOR);
            int levels = !orchestrator ? 0
                    : capabilities.extra().get(Protocol.EXTRA_HOLARCHY_LEVELS) instanceof Number number
                            ? number.intValue() : 1;
            return new WorkerView(worker.id, worker.status, worker.registration, worker.usage,
                    worker.currentTasks == null ? List.of() : List.of(worker.currentTasks), worker.registeredAt,
                    worker.lastSeenAt, s3Check.matches(registration).orElse(null), orchestrator, levels);
        }
    }

    private final ClientAuthenticator authenticator;
    private final WorkerService workers;
    private final S3ConfigCheck s3Check;

    public WorkersResource(ClientAuthenticator authenticator, WorkerService workers, S3ConfigCheck s3Check) {
        this.authenticator = authenticator;
        this.workers = workers;
        this.s3Check = s3Check;
    }

    @GET
    @Operation(summary = "The registered workers (administrators only)")
    @APIResponse(responseCode = "200", description = "Every registered worker", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = WorkerView.class)))
    @APIResponse(responseCode = "403", description = "The caller is not an administrator (rxon-admin)")
    public Uni<List<WorkerView>> list(HttpHeaders headers) {
        return ClientAuthentication.admin(authenticator, headers).chain(admin -> workers.list())
                .map(all -> all.stream().map(worker -> WorkerView.of(worker, s3Check)).toList());
    }
}
