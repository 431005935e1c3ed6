package io.rxon.common.blob;

import io.rxon.common.error.RxonException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The claim check of rxon-java (docs/BLOBS.md): a params or result-data object whose JSON is larger
 * than a threshold is stored as a blob and replaced on the wire by a single reserved key whose value
 * is the blob's {@code s3://} URI, with the blob's {@link FileMetadata} beside it in
 * {@code params_metadata} / {@code data_metadata} under the same key:
 *
 * <pre>
 * "params": {"_rxon_claim_check": "s3://bucket/jobs/&lt;job_id&gt;/params.json"},
 * "params_metadata": {"_rxon_claim_check": {"uri": "s3://…", "size": 300123, "etag": "…",
 *                      "metadata": {"sha256": "…", "content_type": "application/json"}}}
 * </pre>
 *
 * Both are ordinary protocol values, so a Python peer still receives a valid message (its SDK
 * downloads the reference like any other). The receiving rxon-java side restores the original
 * object, checking size, ETag and SHA-256, before anyone else sees it.
 */
public final class ClaimCheck {

    /** The reserved key of an offloaded object. */
    public static final String KEY = "_rxon_claim_check";
    public static final String CONTENT_TYPE = "application/json";

    private final BlobStore store;
    private final long threshold;
    private final long maxRestoreBytes;

    /**
     * @param threshold objects whose JSON is larger than this many bytes are offloaded
     * @param maxRestoreBytes larger claim-checked objects are refused on restore (they are read into memory)
     */
    public ClaimCheck(BlobStore store, long threshold, long maxRestoreBytes) {
        this.store = store;
        this.threshold = threshold;
        this.maxRestoreBytes = maxRestoreBytes;
    }

    /** An offloaded object: what travels instead of it, and its metadata entry. */
    public record Offloaded(Map<String, Object> reference, Map<String, FileMetadata> metadata) {}

    /** Whether {@code payload} is a claim check rather than the object itself. */
    public static boolean isClaimCheck(Map<String, Object> payload) {
        return payload != null && payload.size() == 1 && BlobUri.isBlobUri(payload.get(KEY));
    }

    /** The object's JSON when it is over the threshold (then it should be offloaded). */
    public Optional<byte[]> oversized(Map<String, Object> payload) {
        if (payload == null || payload.isEmpty() || isClaimCheck(payload)) {
            return Optional.empty();
        }
        byte[] json = Json.write(payload);
        return json.length > threshold ? Optional.of(json) : Optional.empty();
    }

    /** Stores {@code payload} at {@code target} when it is over the threshold; empty when it stays inline. */
    public CompletionStage<Optional<Offloaded>> offload(Map<String, Object> payload, BlobUri target) {
        Optional<byte[]> json = oversized(payload);
        if (json.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        byte[] bytes = json.get();
        return store.upload(new ByteArrayInputStream(bytes), bytes.length, target).thenApply(stored -> {
            Map<String, Object> metadata = new LinkedHashMap<>(stored.metadata() == null ? Map.of() : stored.metadata());
            metadata.put("content_type", CONTENT_TYPE);
            FileMetadata entry = new FileMetadata(stored.uri(), stored.size(), stored.etag(), metadata);
            return Optional.of(new Offloaded(Map.of(KEY, stored.uri()), Map.of(KEY, entry)));
        });
    }

    /**
     * The original object behind a claim check, verified against its metadata entry (when present);
     * any other {@code payload} is returned unchanged. Blocks while reading.
     *
     * @throws io.rxon.common.error.RxonIntegrityException when size, ETag or SHA-256 differ
     */
    public Map<String, Object> restore(Map<String, Object> payload, Map<String, FileMetadata> metadata) {
        if (!isClaimCheck(payload)) {
            return payload;
        }
        String uri = (String) payload.get(KEY);
        FileMetadata expected = metadata == null ? null : metadata.get(KEY);
        if (expected != null && expected.size() > maxRestoreBytes) {
            throw new RxonException("claim-checked object " + uri + " has " + expected.size() + " bytes, more than the "
                    + maxRestoreBytes + " this side restores", ErrorCode.RESOURCE_EXHAUSTED_ERROR);
        }
        InputStream opened = store.open(BlobUri.parse(uri)).toCompletableFuture().join();
        try (InputStream in = expected == null ? opened : VerifyingInputStream.of(opened, expected)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRestoreBytes + 1));
            if (bytes.length > maxRestoreBytes) {
                throw new RxonException("claim-checked object " + uri + " is larger than " + maxRestoreBytes
                        + " bytes", ErrorCode.RESOURCE_EXHAUSTED_ERROR);
            }
            if (expected != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> restored = Json.read(bytes, Map.class);
            return restored;
        } catch (IOException e) {
            throw new UncheckedIOException("reading claim-checked object " + uri + " failed", e);
        }
    }
}
