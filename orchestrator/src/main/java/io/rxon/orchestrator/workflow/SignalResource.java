package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Identifiers;
import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** {@code POST /api/v1/jobs/{id}/signals/{name}}: resumes a workflow step that listens for the signal (an approval). */
@Path("/api/v1/jobs/{id}/signals")
@Produces(MediaType.APPLICATION_JSON)
public class SignalResource {

    private final ClientAuthenticator authenticator;
    private final WorkflowSignals signals;

    SignalResource(ClientAuthenticator authenticator, WorkflowSignals signals) {
        this.authenticator = authenticator;
        this.signals = signals;
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a signal to a workflow job; the payload (a JSON object, optional) becomes the listen step's output")
    @APIResponse(responseCode = "202", description = "A waiting step took it (status accepted), or it is kept for the"
            + " first listen step for it that starts (status buffered)")
    @APIResponse(responseCode = "400", description = "An invalid job id, signal name or payload")
    @APIResponse(responseCode = "404", description = "Unknown, another client's, or not a workflow job")
    @APIResponse(responseCode = "409", description = "The job ended, its workflow listens for no such signal, or it"
            + " holds 100 signals no step has taken")
    public Uni<Response> signal(@RestPath String id, @RestPath String name, byte[] body, HttpHeaders headers) {
        Ids.require(id, "job id");
        if (!Identifiers.isValid(name)) {
            throw new InvalidRequestException("invalid signal name");
        }
        JsonNode payload = body == null || body.length == 0 ? Expressions.MAPPER.createObjectNode()
                : JsonBodies.storableObject(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        return ClientAuthentication.client(authenticator, headers)
                .chain(client -> signals.signal(client, id, name, payload))
                .map(step -> Response.accepted(step.<Map<String, Object>>map(key -> Map.of("status", "accepted",
                        "job_id", id, "signal", name, "step", key))
                        .orElse(Map.of("status", "buffered", "job_id", id, "signal", name)))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
