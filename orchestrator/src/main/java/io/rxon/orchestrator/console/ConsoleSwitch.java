package io.rxon.orchestrator.console;

import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** {@code RXON_CONSOLE_ENABLED=false}: everything under {@code /console} answers 404, as if it did not exist. */
public class ConsoleSwitch {

    private final boolean enabled;

    public ConsoleSwitch(OrchestratorConfig config) {
        this.enabled = config.console().enabled();
    }

    @ServerRequestFilter
    public Response hideWhenDisabled(ContainerRequestContext request) {
        return hides(enabled, request.getUriInfo().getPath()) ? Response.status(Response.Status.NOT_FOUND).build()
                : null;
    }

    static boolean hides(boolean enabled, String path) {
        return !enabled && (path.equals("/console") || path.startsWith("/console/"));
    }
}
