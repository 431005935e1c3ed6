package io.rxon.orchestrator.api;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Pure holon mode ({@code RXON_CLIENT_API_ENABLED=false}, docs/HOLARCHY.md): the orchestrator takes
 * work only from its parent, so job submission and reads, uploads and the console's submit form
 * answer 403 ({@code SECURITY_ERROR}). The worker protocol, the workers list, health and metrics stay.
 */
public class ClientApiSwitch {

    private static final List<String> CLIENT_PATHS = List.of("/api/v1/jobs", "/api/v1/blobs", "/console/submit");

    private final boolean enabled;

    public ClientApiSwitch(OrchestratorConfig config) {
        this.enabled = config.clientApi().enabled();
    }

    @ServerRequestFilter
    public void refuseWhenDisabled(ContainerRequestContext request) {
        if (refuses(enabled, request.getUriInfo().getPath())) {
            throw new ForbiddenActionException("the client API is off (RXON_CLIENT_API_ENABLED=false): this "
                    + "orchestrator serves only its parent orchestrator");
        }
    }

    static boolean refuses(boolean enabled, String path) {
        return !enabled && CLIENT_PATHS.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
