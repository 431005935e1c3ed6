package io.rxon.common.blob;

import io.rxon.common.protocol.FileMetadata;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where heavy payloads live so that the control channel stays light (PROTOCOL.md §8, the
 * reference's {@code BlobProvider}). Implementations stream: memory use never grows with blob
 * size. Failures complete the stage exceptionally with an
 * {@link io.rxon.common.error.RxonException} carrying {@code DEPENDENCY_ERROR} (store
 * unreachable) or {@code INTEGRITY_MISMATCH_ERROR}.
 */
public interface BlobStore {

    /** Uploads a local file; the metadata carries size, ETag and the SHA-256 digest. */
    CompletionStage<FileMetadata> upload(Path localFile, BlobUri target);

    /** Uploads a stream of known or unknown ({@code -1}) length, reading it once. */
    CompletionStage<FileMetadata> upload(InputStream content, long size, BlobUri target);

    /** Downloads to a local file; {@code false} when the object does not exist. */
    CompletionStage<Boolean> download(BlobUri source, Path localFile);

    /** Opens the object for reading; the caller closes the stream. */
    CompletionStage<InputStream> open(BlobUri source);

    CompletionStage<Optional<BlobInfo>> metadata(BlobUri source);

    /** Deletes one object; {@code false} when there was none. */
    CompletionStage<Boolean> delete(BlobUri target);

    /** Deletes every object under a directory URI; {@code false} when there were none. */
    CompletionStage<Boolean> deleteDirectory(BlobUri directory);
}
