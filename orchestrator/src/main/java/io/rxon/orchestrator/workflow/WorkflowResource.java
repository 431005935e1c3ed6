package io.rxon.orchestrator.workflow;

import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The client API for workflow definitions (docs/WORKFLOWS.md): register, list, read, draw and delete. */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    /** Longest definition accepted. */
    static final int MAX_DOCUMENT = 1 << 20;

    private final ClientAuthenticator authenticator;
    private final WorkflowRegistry registry;

    public WorkflowResource(ClientAuthenticator authenticator, WorkflowRegistry registry) {
        this.authenticator = authenticator;
        this.registry = registry;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Register a workflow definition (Serverless Workflow DSL 1.0, YAML or JSON)")
    @APIResponse(responseCode = "201", description = "Registered; `warnings` lists skills no live worker offers yet")
    @APIResponse(responseCode = "200", description = "The same document was registered already")
    @APIResponse(responseCode = "400", description = "Invalid; `problems` lists every problem")
    @APIResponse(responseCode = "409", description = "Another document is registered under this name and version")
    public Uni<Response> register(byte[] body, HttpHeaders headers) {
        if (body == null || body.length == 0 || body.length > MAX_DOCUMENT) {
            throw new InvalidRequestException("the body must be a workflow definition of at most " + MAX_DOCUMENT + " bytes");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.register(text))
                .map(registered -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("name", registered.definition().name());
                    answer.put("version", registered.definition().version());
                    answer.put("warnings", registered.warnings());
                    return Response.status(registered.created() ? 201 : 200).entity(answer)
                            .type(MediaType.APPLICATION_JSON_TYPE).build();
                });
    }

    @GET
    @Operation(summary = "List the registered workflow definitions (every version)")
    @APIResponse(responseCode = "200", description = "Name, version and registration instant of each")
    public Uni<List<Map<String, Object>>> list(HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.list(null))
                .map(WorkflowResource::rows);
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "List the versions of one workflow")
    @APIResponse(responseCode = "200", description = "Its versions, oldest first")
    @APIResponse(responseCode = "404", description = "No version is registered")
    public Uni<List<Map<String, Object>>> versions(@RestPath String name, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.find(name, null))
                .chain(latest -> registry.list(name)).map(WorkflowResource::rows);
    }

    @GET
    @Path("/{name}/{version}")
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "Read one version's document, as it was registered")
    @APIResponse(responseCode = "200", description = "The document (YAML or JSON, as sent)")
    @APIResponse(responseCode = "404", description = "Not registered")
    public Uni<Response> get(@RestPath String name, @RestPath String version, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.find(name, version))
                .map(definition -> Response.ok(definition.document()).type(definition.document().stripLeading()
                        .startsWith("{") ? MediaType.APPLICATION_JSON : "application/yaml").build());
    }

    @GET
    @Path("/{name}/graph")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Draw a workflow: Mermaid (default) or DOT (`format=dot`), of the newest or a given version")
    @APIResponse(responseCode = "200", description = "The graph's text")
    @APIResponse(responseCode = "404", description = "Not registered")
    public Uni<String> graph(@RestPath String name, @RestQuery String version, @RestQuery String format,
            HttpHeaders headers) {
        if (format != null && !format.equals("mermaid") && !format.equals("dot")) {
            throw new InvalidRequestException("format must be mermaid or dot");
        }
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.find(name, version))
                .map(definition -> "dot".equals(format) ? WorkflowGraph.dot(definition) : WorkflowGraph.mermaid(definition));
    }

    @DELETE
    @Path("/{name}/{version}")
    @Operation(summary = "Delete one version")
    @APIResponse(responseCode = "200", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Not registered")
    @APIResponse(responseCode = "409", description = "A job that has not ended runs it")
    public Uni<Map<String, Object>> delete(@RestPath String name, @RestPath String version, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.delete(name, version))
                .map(deleted -> Map.of("deleted", deleted));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete every version of a workflow")
    @APIResponse(responseCode = "200", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Not registered")
    @APIResponse(responseCode = "409", description = "A job that has not ended runs one of them")
    public Uni<Map<String, Object>> deleteAll(@RestPath String name, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> registry.delete(name, null))
                .map(deleted -> Map.of("deleted", deleted));
    }

    private static List<Map<String, Object>> rows(List<WorkflowDefinitionEntity> entities) {
        return entities.stream().map(entity -> Map.<String, Object>of("name", entity.name, "version", entity.version,
                "created_at", entity.createdAt)).toList();
    }
}
