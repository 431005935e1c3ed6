package io.rxon.orchestrator.openapi;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.job.JobRequest;
import io.rxon.orchestrator.job.ResultOutcome;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the OpenAPI document ({@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}) says beyond
 * the resources themselves: the two APIs as tags, their credentials as security schemes, and the
 * worker messages the resources read as raw bytes (they pass the zero-trust gate over the exact
 * JSON before decoding), named here so that their schemas are generated from the records. Error
 * bodies are added to every operation by {@code error.ErrorDocumentation} from the error catalog.
 */
@OpenAPIDefinition(
        info = @Info(title = "RXON orchestrator", version = Protocol.VERSION,
                description = "The client API (`/api/v1`: jobs, workers, blobs; errors are application/problem+json "
                        + "with the RXON code in `code`) and the worker protocol (`/_worker`, wire-compatible with "
                        + "the Python reference; errors are `{error, code}`). `version` is the RXON protocol version.",
                license = @License(name = "see the repository")),
        tags = {
            @Tag(name = OpenApiDefinition.CLIENT_TAG, description = "The client API: submit and follow jobs, list "
                    + "workers, presigned blob URLs. Authenticate with `Authorization: Bearer <client token or "
                    + "Keycloak access token>` or `X-Client-Token`."),
            @Tag(name = OpenApiDefinition.WORKER_TAG, description = "The worker protocol (PROTOCOL.md §4): every "
                    + "request carries `X-Worker-Token` (or `Authorization: Bearer`) and `X-Worker-ID`; every "
                    + "message is signed (`security.signature`) over its canonical JSON with an integer `timestamp` "
                    + "within ±60 s."),
            @Tag(name = OpenApiDefinition.OPERATIONS_TAG, description = "Unauthenticated status.")
        },
        components = @Components(
                securitySchemes = {
                    @SecurityScheme(securitySchemeName = OpenApiDefinition.CLIENT_BEARER, type = SecuritySchemeType.HTTP,
                            scheme = "bearer", description = "A static client token (RXON_CLIENT_TOKEN, RXON_CLIENTS) "
                                    + "or, with RXON_AUTH_MODE oidc/mixed, a Keycloak access token with the audience "
                                    + "rxon-orchestrator and the role rxon-client (rxon-admin to list workers)."),
                    @SecurityScheme(securitySchemeName = OpenApiDefinition.CLIENT_HEADER,
                            type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                            apiKeyName = Protocol.HEADER_CLIENT_TOKEN, description = "A static client token."),
                    @SecurityScheme(securitySchemeName = OpenApiDefinition.WORKER_TOKEN,
                            type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                            apiKeyName = Protocol.HEADER_WORKER_TOKEN, description = "The global worker token "
                                    + "(RXON_WORKER_TOKEN) or the worker's own (RXON_WORKER_TOKENS)."),
                    @SecurityScheme(securitySchemeName = OpenApiDefinition.WORKER_BEARER,
                            type = SecuritySchemeType.HTTP, scheme = "bearer", description = "A worker token, or "
                                    + "with RXON_AUTH_MODE oidc/mixed a Keycloak access token with the role "
                                    + "rxon-worker (client-credentials grant)."),
                    @SecurityScheme(securitySchemeName = OpenApiDefinition.WORKER_ID, type = SecuritySchemeType.APIKEY,
                            in = SecuritySchemeIn.HEADER, apiKeyName = Protocol.HEADER_WORKER_ID,
                            description = "The sender's worker id, sent with either worker credential.")
                },
                schemas = {
                    @Schema(name = "JobRequest", implementation = JobRequest.class),
                    @Schema(name = "WorkerRegistration", implementation = WorkerRegistration.class),
                    @Schema(name = "Heartbeat", implementation = Heartbeat.class),
                    @Schema(name = "HeartbeatResponse", implementation = HeartbeatResponse.class),
                    @Schema(name = "TaskPayload", implementation = TaskPayload.class),
                    @Schema(name = "TaskResult", implementation = TaskResult.class),
                    @Schema(name = "WorkerEventPayload", implementation = WorkerEventPayload.class),
                    @Schema(name = "ResultAnswer", implementation = ResultOutcome.Response.class)
                }))
public class OpenApiDefinition extends Application {

    public static final String CLIENT_TAG = "client API";
    public static final String WORKER_TAG = "worker protocol";
    public static final String OPERATIONS_TAG = "operations";

    public static final String CLIENT_BEARER = "clientBearer";
    public static final String CLIENT_HEADER = "clientToken";
    public static final String WORKER_TOKEN = "workerToken";
    public static final String WORKER_BEARER = "workerBearer";
    public static final String WORKER_ID = "workerId";
}
