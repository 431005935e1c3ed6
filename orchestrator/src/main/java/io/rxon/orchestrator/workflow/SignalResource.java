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
    private final WorkflowJobs jobs;

    SignalResource(ClientAuthenticator authenticator, WorkflowJobs jobs) {
        this.authenticator = authenticator;
        this.jobs = jobs;
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a signal to a workflow job; the payload (a JSON object, optional) becomes the listen step's output")
    @APIResponse(responseCode = "202", description = "A waiting step took it")
    @APIResponse(responseCode = "404", description = "Unknown, another client's, or not a workflow job")
    @APIResponse(responseCode = "409", description = "The job ended, or no step listens for this signal now")
    public Uni<Response> signal(@RestPath String id, @RestPath String name, byte[] body, HttpHeaders headers) {
        Ids.require(id, "job id");
        if (!Identifiers.isValid(name)) {
            throw new InvalidRequestException("invalid signal name");
        }
        JsonNode payload = body == null || body.length == 0 ? Expressions.MAPPER.createObjectNode()
                : JsonBodies.storableObject(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.signal(client, id, name, payload))
                .map(step -> Response.accepted(Map.of("status", "accepted", "job_id", id, "step", step))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
