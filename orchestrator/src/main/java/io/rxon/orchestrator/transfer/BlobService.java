package io.rxon.orchestrator.transfer;

import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.blob.BlobUploadEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rxon.blob.s3.S3BlobPresigner;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.protocol.WireMessage;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.NotConfiguredException;
import io.rxon.orchestrator.error.PayloadTooLargeException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.job.BlobOwnership;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Presigned URLs for clients, and who owns which blob directory. A client may write to and read
 * from {@code jobs/<id>/} only when {@code id} is one of its own jobs or uploads; another client's
 * directory is reported exactly like a missing one, as jobs are.
 */
@ApplicationScoped
public class BlobService {

    /** The body of {@code POST /api/v1/blobs}; every field optional. */
    @WireMessage
    public record UploadRequest(String filename, Long size, String contentType, String jobId) {}

    /**
     * Where and how to upload: PUT the bytes to {@code uploadUrl} with exactly {@code headers}
     * before {@code expiresAt} (epoch ms), then refer to {@code uri} in job params.
     */
    @WireMessage
    public record UploadTicket(String uri, String uploadUrl, String method, Map<String, String> headers,
            long expiresAt, String uploadId, String jobId, long maxSize) {}

    /** A presigned download: GET {@code downloadUrl} before {@code expiresAt} (epoch ms). */
    @WireMessage
    public record DownloadTicket(String uri, String downloadUrl, long expiresAt) {}

    private final BlobStorage storage;
    private final OrchestratorConfig.Blob config;
    private final Clock clock;
    private final BlobOwnership ownership;

    public BlobService(BlobStorage storage, OrchestratorConfig config, Clock clock, BlobOwnership ownership) {
        this.storage = storage;
        this.ownership = ownership;
        this.config = config.blob();
        this.clock = clock;
    }

    /** A presigned PUT URL into one of the client's jobs, or into a new upload directory. */
    @WithTransaction
    public Uni<UploadTicket> createUpload(ClientIdentity client, UploadRequest request) {
        S3BlobPresigner presigner = presigner();
        long max = config.maxUploadSize().asLongValue();
        if (request.size() != null && request.size() < 0) {
            throw new InvalidRequestException("size must not be negative");
        }
        if (request.size() != null && request.size() > max) {
            throw new PayloadTooLargeException("size " + request.size() + " exceeds the upload limit of " + max
                    + " bytes");
        }
        String name = BlobKeys.safeName(request.filename());
        Uni<Owner> owner = request.jobId() == null ? newUpload(client) : ownJob(client, request.jobId());
        return owner.map(directory -> {
            BlobUri uri = BlobKeys.directory(storage.bucket(), directory.id()).resolve(name);
            S3BlobPresigner.PresignedUrl url = presigner.put(uri, Duration.ofMinutes(config.uploadUrlMinutes()),
                    request.size(), request.contentType());
            return new UploadTicket(uri.toString(), url.url().toString(), url.method(), url.headers(),
                    url.expiresAt().toEpochMilli(), directory.upload() ? directory.id() : null,
                    directory.upload() ? null : directory.id(), max);
        });
    }

    /** A presigned GET URL for a blob in one of the client's job or upload directories. */
    @WithSession
    public Uni<DownloadTicket> downloadUrl(ClientIdentity client, String uri) {
        S3BlobPresigner presigner = presigner();
        BlobUri blob = ownership.ownableBlob(uri);
        return ownership.owns(client, BlobKeys.ownerOf(blob).orElseThrow()).map(owned -> {
            if (!owned) {
                throw new ResourceNotFoundException("blob " + uri + " not found");
            }
            S3BlobPresigner.PresignedUrl url = presigner.get(blob, Duration.ofMinutes(config.downloadUrlMinutes()),
                    blob.key().substring(blob.key().lastIndexOf('/') + 1));
            return new DownloadTicket(blob.toString(), url.url().toString(), url.expiresAt().toEpochMilli());
        });
    }

    private Uni<Owner> newUpload(ClientIdentity client) {
        BlobUploadEntity upload = new BlobUploadEntity();
        upload.id = "upload-" + UUID.randomUUID();
        upload.clientId = client.clientId();
        upload.createdAt = clock.millis();
        return upload.persist().map(ignored -> new Owner(upload.id, true));
    }

    private Uni<Owner> ownJob(ClientIdentity client, String jobId) {
        return ownership.ownsJob(client, jobId).map(owned -> {
            if (!owned) {
                throw new ResourceNotFoundException("job " + jobId + " not found");
            }
            return new Owner(jobId, false);
        });
    }

    private S3BlobPresigner presigner() {
        Optional<S3BlobPresigner> presigner = storage.presigner();
        return presigner.orElseThrow(() -> new NotConfiguredException(
                "presigned URLs need S3: set RXON_S3_ENDPOINT and/or RXON_S3_BUCKET (docs/BLOBS.md)"));
    }

    private record Owner(String id, boolean upload) {}
}
