package io.rxon.orchestrator.blob;

import io.rxon.common.blob.BlobReferences;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presigned GET URLs for the blobs of a task handed to an orchestrator worker that keeps its blobs
 * in another store (its {@code s3_config_hash} differs from ours): it cannot read {@code s3://}
 * references into our bucket, so the task carries a URL for each ({@code Protocol.TASK_BLOB_URLS},
 * docs/HOLARCHY.md) and the child copies them into its own store before it runs the task.
 */
@ApplicationScoped
public class BlobHandover {

    private final BlobStorage storage;
    private final Duration lifetime;

    public BlobHandover(BlobStorage storage, OrchestratorConfig config) {
        this.storage = storage;
        this.lifetime = Duration.ofMinutes(config.blob().downloadUrlMinutes());
    }

    /**
     * The URLs for a task with {@code params} handed to the orchestrator worker {@code child}, by
     * reference; empty when the child shares our store (the same {@code s3_config_hash}) or we have
     * no presigned URLs (no S3).
     */
    public Map<String, Object> downloadUrls(WorkerRegistration child, Map<String, Object> params) {
        String theirs = child.capabilities() == null ? null : child.capabilities().s3ConfigHash();
        // unknown on either side (no S3 there, or credentials from the AWS chain) is not proof of sharing: a copy is
        // then extra work, not wrong
        if (params == null || storage.presigner().isEmpty()
                || theirs != null && theirs.equals(storage.configHash().orElse(null))) {
            return Map.of();
        }
        Map<String, Object> urls = new LinkedHashMap<>();
        for (String uri : BlobReferences.find(params).values()) {
            BlobUri blob;
            try {
                blob = BlobUri.parse(uri);
            } catch (IllegalArgumentException e) {
                continue; // not a blob of ours: the child sees it as it is
            }
            if (blob.bucket().equals(storage.bucket()) && !blob.key().isEmpty() && !blob.directory()
                    && !urls.containsKey(uri)) {
                var url = storage.presigner().get().get(blob, lifetime, null);
                urls.put(uri, Map.of("url", url.url().toString(), "headers", url.headers(),
                        "expires_at", url.expiresAt().getEpochSecond()));
            }
        }
        return urls;
    }
}
