package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.blob.BlobUploadEntity;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who owns which blob directory: {@code jobs/<id>/} belongs to the client whose job or upload
 * {@code id} is. Job params, results and presigned URLs may only name directories their client owns.
 */
@ApplicationScoped
public class BlobOwnership {

    private final BlobStorage storage;

    public BlobOwnership(BlobStorage storage) {
        this.storage = storage;
    }

    /**
     * Parses a reference into the orchestrator's bucket that names a job or upload directory.
     *
     * @throws ForbiddenActionException for other buckets and keys outside {@code jobs/<id>/}
     */
    public BlobUri ownableBlob(String uri) {
        BlobUri blob;
        try {
            blob = BlobUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("uri must look like s3://" + storage.bucket() + "/jobs/<id>/<name>", e);
        }
        if (!blob.bucket().equals(storage.bucket()) || BlobKeys.ownerOf(blob).isEmpty() || blob.directory()) {
            throw new ForbiddenActionException("only blobs under s3://" + storage.bucket()
                    + "/jobs/<your job or upload id>/ can be used; " + uri + " is not one");
        }
        return blob;
    }

    /** Whether {@code ownerId} is one of the client's jobs or uploads. */
    @WithSession
    public Uni<Boolean> owns(ClientIdentity client, String ownerId) {
        return JobEntity.<JobEntity>findById(ownerId).chain(job -> job != null
                ? Uni.createFrom().item(job.clientId.equals(client.clientId()))
                : BlobUploadEntity.<BlobUploadEntity>findById(ownerId)
                        .map(upload -> upload != null && upload.clientId.equals(client.clientId())));
    }

    /** Those of {@code ids} that are neither jobs nor uploads of the client. */
    @WithSession
    public Uni<Set<String>> unowned(ClientIdentity client, Collection<String> ids) {
        return JobEntity.<JobEntity>list("id in ?1 and clientId = ?2", ids, client.clientId())
                .chain(jobs -> BlobUploadEntity.<BlobUploadEntity>list("id in ?1 and clientId = ?2", ids,
                        client.clientId()).map(uploads -> {
                            Set<String> missing = new LinkedHashSet<>(ids);
                            jobs.forEach(job -> missing.remove(job.id));
                            uploads.forEach(upload -> missing.remove(upload.id));
                            return missing;
                        }));
    }

    /** The client's job, for a presigned upload into its directory; empty when it is not the client's. */
    @WithSession
    public Uni<Boolean> ownsJob(ClientIdentity client, String jobId) {
        return JobEntity.<JobEntity>findById(jobId).map(job -> job != null && job.clientId.equals(client.clientId()));
    }
}
