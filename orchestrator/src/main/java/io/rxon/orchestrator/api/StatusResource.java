package io.rxon.orchestrator.api;

import io.rxon.common.protocol.Protocol;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Public liveness probe compatible with the reference's {@code GET /_public/status}. */
@Path("/_public/status")
public class StatusResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> status() {
        return Map.of("status", "ok", "version", Protocol.VERSION);
    }
}
