package io.rxon.orchestrator.openapi;

import io.rxon.common.protocol.Protocol;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Finishes the generated document by API, so the resources carry only what is particular to
 * them: each operation gets its tag, its credentials and the errors every call of its API may
 * get (from the error catalog); the worker socket, which is no JAX-RS resource, is added by hand.
 * Runs at build time ({@code mp.openapi.filter}).
 */
public class OpenApiFilter implements OASFilter {

    static final String WORKER_SOCKET = Protocol.WORKER_PREFIX + "/ws/{worker_id}";

    /** Errors any client API call may get: bad input, credentials, role, rate limit, outage, a bug. */
    private static final List<String> CLIENT_ERRORS = List.of("400", "401", "403", "429", "500", "503");

    /** The same for the worker protocol (the README's status table); 413 goes to calls with a body. */
    private static final List<String> WORKER_ERRORS = List.of("400", "401", "403", "429", "500", "503");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().setSchemas(merged(openAPI.getComponents().getSchemas(), OpenApiErrors.schemas()));
        // Records cannot say which of their components are required; the JSON a job needs at least is its type.
        openAPI.getComponents().getSchemas().get("JobRequest").setRequired(List.of("type"));
        openAPI.getPaths().addPathItem(WORKER_SOCKET, workerSocket());
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (path.startsWith(Protocol.WORKER_PREFIX)) {
                finish(operation, OpenApiDefinition.WORKER_TAG, WORKER_ERRORS, true, List.of(
                        requirement(OpenApiDefinition.WORKER_TOKEN, OpenApiDefinition.WORKER_ID),
                        requirement(OpenApiDefinition.WORKER_BEARER, OpenApiDefinition.WORKER_ID)));
                if (hasBody(method) && !operation.getResponses().hasAPIResponse("413")) {
                    operation.getResponses().addAPIResponse("413", OpenApiErrors.bodiless(
                            "The body is over QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE (refused before any handler)"));
                }
            } else if (path.startsWith("/api/")) {
                if (hasBody(method) && !operation.getResponses().hasAPIResponse("413")) {
                    operation.getResponses().addAPIResponse("413", OASFactory.createAPIResponse().description(
                            "The body is over QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE"));
                }
                finish(operation, OpenApiDefinition.CLIENT_TAG, CLIENT_ERRORS, false, List.of(
                        requirement(OpenApiDefinition.CLIENT_BEARER), requirement(OpenApiDefinition.CLIENT_HEADER)));
            } else {
                operation.setTags(List.of(OpenApiDefinition.OPERATIONS_TAG));
                operation.setSecurity(List.of());
            }
        }));
    }

    private static void finish(Operation operation, String tag, List<String> errors, boolean workerApi,
            List<SecurityRequirement> security) {
        operation.setTags(List.of(tag));
        operation.setSecurity(security);
        errors.stream().filter(status -> !operation.getResponses().hasAPIResponse(status))
                .forEach(status -> operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse()));
        fillErrors(operation, workerApi);
    }

    private static void fillErrors(Operation operation, boolean workerApi) {
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (OpenApiErrors.isError(status)) {
                OpenApiErrors.fill(status, response, workerApi);
            }
        });
    }

    private static boolean hasBody(PathItem.HttpMethod method) {
        return method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH
                || method == PathItem.HttpMethod.PUT;
    }

    private static SecurityRequirement requirement(String... schemes) {
        SecurityRequirement requirement = OASFactory.createSecurityRequirement();
        for (String scheme : schemes) {
            requirement.addScheme(scheme);
        }
        return requirement;
    }

    /** {@code GET /_worker/ws/{worker_id}}: the WebSocket (docs/PUSH_DISPATCH.md), authenticated as the HTTP calls. */
    private static PathItem workerSocket() {
        Operation open = OASFactory.createOperation().summary("Open the worker's WebSocket")
                .description("Commands down (`cancel_task`), events up; with push dispatch also credits up "
                        + "(answered by `credit_ack`), tasks down and results up (docs/PUSH_DISPATCH.md). A new socket "
                        + "closes the worker's previous one with 1008; a message over 4 MB closes it with 1009.")
                .addParameter(OASFactory.createParameter().name("worker_id").in(Parameter.In.PATH).required(true)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .responses(OASFactory.createAPIResponses().addAPIResponse("101", OpenApiErrors.bodiless(
                        "Switching Protocols: the socket is open")));
        return OASFactory.createPathItem().GET(open);
    }

    private static <T> Map<String, T> merged(Map<String, T> generated, Map<String, T> added) {
        Map<String, T> all = new TreeMap<>(generated == null ? Map.of() : generated);
        all.putAll(added);
        return all;
    }
}
