package io.rxon.orchestrator.job;

import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.blob.Stages;
import io.rxon.common.blob.BlobInfo;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobReferences;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.ClaimCheck;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.PayloadTooLargeException;
import io.rxon.orchestrator.security.ClientIdentity;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The blob side of a job: at submission it checks the blobs the params refer to (the client's
 * own, existing, within the size limit), records their {@link FileMetadata} for the worker to
 * verify, and offloads params over the threshold as a claim check (docs/BLOBS.md); for results
 * it records which other jobs' or uploads' blobs the job refers to, so their clean-up waits.
 */
@ApplicationScoped
public class JobBlobs {

    /** References checked per job; more is refused (each costs a HEAD request). */
    static final int MAX_REFERENCES = 100;
    /** Claim-checked params are restored into memory by workers; the orchestrator itself never reads them. */
    private static final long MAX_RESTORE = Long.MAX_VALUE;

    private final BlobStorage storage;
    private final BlobOwnership blobs;
    private final ClaimCheck claimCheck;
    private final long maxBlobSize;

    public JobBlobs(BlobStorage storage, BlobOwnership blobs, OrchestratorConfig config) {
        this.storage = storage;
        this.blobs = blobs;
        this.claimCheck = new ClaimCheck(storage.store(), config.blob().offloadThreshold().asLongValue(), MAX_RESTORE);
        this.maxBlobSize = config.blob().maxUploadSize().asLongValue();
    }

    /**
     * What a job stores and sends: params (possibly a claim check), the metadata of every blob they
     * refer to by key path, the other directories they refer to, and whether this call wrote a blob.
     */
    public record Prepared(Map<String, Object> params, Map<String, FileMetadata> paramsMetadata, List<String> owners,
            boolean offloaded) {

        public static Prepared inline(Map<String, Object> params) {
            return new Prepared(params, Map.of(), List.of(), false);
        }

        public Map<String, Object> paramsMetadataMap() {
            return metadataMap(paramsMetadata);
        }
    }

    /** @param checkOwners false for a parent orchestrator's task, whose directories are the parent's */
    public Uni<Prepared> prepare(ClientIdentity client, String jobId, Map<String, Object> params,
            boolean checkOwners) {
        if (params == null || params.isEmpty()) {
            return Uni.createFrom().item(Prepared.inline(params));
        }
        Map<String, BlobUri> ours = ourReferences(params);
        Set<String> owners = new LinkedHashSet<>();
        ours.values().forEach(uri -> owners.add(BlobKeys.ownerOf(uri).orElseThrow()));
        return (checkOwners ? checkOwners(client, List.copyOf(owners)) : Uni.createFrom().voidItem())
                .chain(() -> describe(ours))
                .chain(metadata -> offload(jobId, params, metadata, List.copyOf(owners)));
    }

    /** References into the orchestrator's bucket; each must name a job or upload directory. */
    private Map<String, BlobUri> ourReferences(Map<String, Object> params) {
        Map<String, BlobUri> ours = new LinkedHashMap<>();
        BlobReferences.find(params).forEach((path, text) -> {
            BlobUri uri = BlobUri.parse(text);
            if (uri.bucket().equals(storage.bucket())) {
                ours.put(path, blobs.ownableBlob(text));
            }
        });
        if (ours.size() > MAX_REFERENCES) {
            throw new InvalidRequestException("params refer to " + ours.size() + " blobs; at most " + MAX_REFERENCES
                    + " are allowed (put a list in one blob instead)");
        }
        return ours;
    }

    private Uni<Void> checkOwners(ClientIdentity client, List<String> owners) {
        if (owners.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return blobs.unowned(client, owners).invoke(unowned -> {
            if (!unowned.isEmpty()) {
                throw new ForbiddenActionException("params refer to blobs under jobs/" + unowned.iterator().next()
                        + "/, which is not one of your jobs or uploads");
            }
        }).replaceWithVoid();
    }

    /** HEADs every referenced blob: it must exist (fully uploaded) and be within the size limit. */
    private Uni<Map<String, FileMetadata>> describe(Map<String, BlobUri> ours) {
        if (ours.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<Map.Entry<String, FileMetadata>>> heads = new ArrayList<>();
        ours.forEach((path, uri) -> heads.add(Stages.<Optional<BlobInfo>>uni(() -> storage.store().metadata(uri))
                .map(info -> Map.entry(path, fileMetadata(uri, info)))));
        return Uni.join().all(heads).andFailFast().map(entries -> {
            Map<String, FileMetadata> metadata = new LinkedHashMap<>();
            entries.forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));
            return metadata;
        });
    }

    private FileMetadata fileMetadata(BlobUri uri, Optional<BlobInfo> info) {
        BlobInfo blob = info.orElseThrow(() -> new InvalidRequestException("params refer to " + uri
                + ", which does not exist (finish its upload before submitting the job)"));
        if (blob.size() > maxBlobSize) {
            throw new PayloadTooLargeException(uri + " has " + blob.size() + " bytes, over the limit of " + maxBlobSize);
        }
        Map<String, Object> extra = blob.contentType() == null ? null : Map.of("content_type", blob.contentType());
        return new FileMetadata(uri.toString(), blob.size(), blob.etag(), extra);
    }

    private Uni<Prepared> offload(String jobId, Map<String, Object> params, Map<String, FileMetadata> metadata,
            List<String> owners) {
        if (!storage.shared() || claimCheck.oversized(params).isEmpty()) {
            return Uni.createFrom().item(new Prepared(params, metadata, owners, false));
        }
        BlobUri target = BlobKeys.params(storage.bucket(), jobId);
        return Stages.<Optional<ClaimCheck.Offloaded>>uni(() -> claimCheck.offload(params, target)).map(offloaded -> {
            ClaimCheck.Offloaded claim = offloaded.orElseThrow();
            Map<String, FileMetadata> all = new LinkedHashMap<>(metadata);
            all.putAll(claim.metadata());
            Log.debugf("job %s: params offloaded to %s (%d bytes)", jobId, target,
                    claim.metadata().get(ClaimCheck.KEY).size());
            return new Prepared(claim.reference(), all, owners, true);
        });
    }

    /** Removes what {@link #prepare} wrote for a job that was then not stored. */
    public Uni<Void> discard(String jobId) {
        BlobUri directory = BlobKeys.directory(storage.bucket(), jobId);
        return Stages.<Boolean>uni(() -> storage.store().deleteDirectory(directory))
                .onFailure().invoke(error -> Log.warnf("could not remove %s of a job that was not stored: %s",
                        directory, error.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The other job and upload directories that result {@code data} of job {@code jobId} refers to. */
    public List<String> owners(Map<String, Object> data, String jobId) {
        Set<String> owners = new LinkedHashSet<>();
        BlobReferences.find(data).values().forEach(text -> {
            BlobUri uri = BlobUri.parse(text);
            if (uri.bucket().equals(storage.bucket())) {
                BlobKeys.ownerOf(uri).filter(owner -> !owner.equals(jobId)).ifPresent(owners::add);
            }
        });
        return List.copyOf(owners);
    }

    /** FileMetadata by key path as a JSON-ready map (for JSONB columns). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> metadataMap(Map<String, FileMetadata> metadata) {
        return metadata == null || metadata.isEmpty() ? null : Json.convert(metadata, Map.class);
    }
}
