package io.rxon.orchestrator.transfer;

import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The client API for blobs (docs/BLOBS.md): presigned upload URLs for job inputs and presigned
 * download URLs for results, so that large payloads go straight to S3, never through here.
 */
@Path("/api/v1/blobs")
@Produces(MediaType.APPLICATION_JSON)
public class BlobResource {

    private final ClientAuthenticator authenticator;
    private final BlobService blobs;

    public BlobResource(ClientAuthenticator authenticator, BlobService blobs) {
        this.authenticator = authenticator;
        this.blobs = blobs;
    }

    /** {@code {filename?, size?, content_type?, job_id?}} → 201 with the upload URL and the blob's URI. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A presigned upload URL for a job input")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BlobService.UploadRequest.class)))
    @APIResponse(responseCode = "201", description = "PUT the bytes to `upload_url` with exactly `headers`, then "
            + "put `uri` in job params", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BlobService.UploadTicket.class)))
    @APIResponse(responseCode = "404", description = "`job_id` is unknown or another client's")
    @APIResponse(responseCode = "413", description = "`size` over the upload limit")
    @APIResponse(responseCode = "501", description = "No S3 store is configured")
    @APIResponse(responseCode = "502", description = "The blob store refused")
    public Uni<Response> upload(byte[] body, HttpHeaders headers) {
        BlobService.UploadRequest request = parse(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        return ClientAuthentication.client(authenticator, headers)
                .chain(client -> blobs.createUpload(client, request))
                .map(ticket -> Response.status(Response.Status.CREATED).entity(ticket)
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** A download URL for {@code uri}, a blob under one of the client's jobs or uploads. */
    @GET
    @Path("/url")
    @Operation(summary = "A presigned download URL for a blob of one of the client's jobs or uploads")
    @APIResponse(responseCode = "200", description = "GET `download_url` before `expires_at`", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BlobService.DownloadTicket.class)))
    @APIResponse(responseCode = "400", description = "`uri` missing or not an `s3://` URI")
    @APIResponse(responseCode = "404", description = "Not under one of the client's jobs or uploads")
    @APIResponse(responseCode = "501", description = "No S3 store is configured")
    public Uni<BlobService.DownloadTicket> download(@RestQuery String uri, HttpHeaders headers) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidRequestException("query parameter 'uri' is required");
        }
        StorableJson.problem(uri, "uri").ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        return ClientAuthentication.client(authenticator, headers).chain(client -> blobs.downloadUrl(client, uri));
    }

    private static BlobService.UploadRequest parse(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return new BlobService.UploadRequest(null, null, null, null);
        }
        return JsonBodies.decodeStrict(JsonBodies.storableObject(body, contentType), BlobService.UploadRequest.class);
    }
}
