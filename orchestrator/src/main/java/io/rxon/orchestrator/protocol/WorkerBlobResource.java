package io.rxon.orchestrator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.job.ChildUploads;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.security.RateLimiter;
import io.rxon.orchestrator.security.WorkerAuthenticator;
import io.rxon.orchestrator.worker.WorkerDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The one worker endpoint beyond the reference protocol (docs/HOLARCHY.md): presigned PUT URLs
 * into the directory of a task the caller holds, for an orchestrator worker that keeps its blobs
 * in another store and hands its result's blobs up. Authenticated like every {@code /_worker}
 * request; a reference orchestrator has no such path and answers 404, which the child takes as
 * "references pass untouched".
 */
@Path(Protocol.PATH_BLOB_UPLOAD_URLS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class WorkerBlobResource {

    private final WorkerAuthenticator authenticator;
    private final RateLimiter limiter;
    private final WorkerDirectory directory;
    private final ChildUploads uploads;

    public WorkerBlobResource(WorkerAuthenticator authenticator, RateLimiter limiter, WorkerDirectory directory,
            ChildUploads uploads) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.directory = directory;
        this.uploads = uploads;
    }

    @POST
    @Operation(summary = "Presigned PUT URLs for the result blobs of a held task (rxon-java extension)")
    @APIResponse(responseCode = "200", description = "`shared: true` and no URLs when the caller uses this "
            + "orchestrator's store; else one `{name, uri, url, headers, expires_at}` per blob")
    @APIResponse(responseCode = "400", description = "A malformed request")
    @APIResponse(responseCode = "404", description = "The caller does not hold this task")
    @APIResponse(responseCode = "413", description = "A blob over the upload size limit")
    @APIResponse(responseCode = "501", description = "This orchestrator keeps no blobs on S3")
    public Uni<Map<String, Object>> uploadUrls(byte[] body, HttpHeaders headers) {
        JsonNode raw = JsonBodies.object(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        String token = WorkerAuthenticator.tokenFrom(headers.getHeaderString(Protocol.HEADER_WORKER_TOKEN),
                headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        return authenticator.authenticate(token, headers.getHeaderString(Protocol.HEADER_WORKER_ID))
                .invoke(identity -> limiter.check(identity.workerId(), RateLimiter.Action.REPORT))
                .call(identity -> directory.known(identity.workerId()))
                .chain(identity -> uploads.urls(identity.workerId(), text(raw, "job_id"), text(raw, "task_id"),
                        wanted(raw.get("blobs"))));
    }

    private static List<ChildUploads.Wanted> wanted(JsonNode blobs) {
        if (blobs == null || !blobs.isArray()) {
            throw new InvalidRequestException("blobs must be a list of {name, size}");
        }
        List<ChildUploads.Wanted> wanted = new ArrayList<>();
        for (JsonNode blob : blobs) {
            if (!blob.isObject() || !blob.path("name").isTextual() || !blob.path("size").canConvertToLong()) {
                throw new InvalidRequestException("each blob must be {\"name\": text, \"size\": bytes}");
            }
            wanted.add(new ChildUploads.Wanted(blob.get("name").textValue(), blob.get("size").longValue()));
        }
        return wanted;
    }

    private static String text(JsonNode raw, String field) {
        JsonNode value = raw.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
