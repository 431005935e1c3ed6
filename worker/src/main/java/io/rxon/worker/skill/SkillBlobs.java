package io.rxon.worker.skill;

import io.rxon.common.protocol.FileMetadata;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A skill's access to blobs (docs/BLOBS.md), through the worker's blob store (S3 or the local
 * directory). Reads are checked against the {@code params_metadata} that came with the task
 * (size, ETag, SHA-256: a mismatch is {@code INTEGRITY_MISMATCH_ERROR}); writes go under the
 * task's own key prefix {@code jobs/<job_id>/<task_id>/}, and the {@link FileMetadata} of every
 * blob written here is added to the result's {@code data_metadata} when the result refers to it.
 * Everything streams: memory use does not grow with blob size.
 *
 * <p>Failures are thrown as RXON exceptions the worker reports with the right code: a missing
 * blob {@code DEPENDENCY_MISSING_ERROR}, an unreachable store {@code TRANSIENT_ERROR} (retried).
 */
public interface SkillBlobs {

    /**
     * Opens {@code uri} ({@code s3://bucket/key}) for reading; the caller closes the stream. When the
     * task carried metadata for it, reading to the end verifies it (the last read throws on a mismatch).
     */
    InputStream open(String uri);

    /** Downloads {@code uri} into {@link #workDir()}, verified like {@link #open}, and returns the file. */
    Path download(String uri);

    /**
     * Uploads a stream as {@code jobs/<job_id>/<task_id>/<name>}, reading it once.
     *
     * @param size the number of bytes, or {@code -1} when unknown
     * @return the blob's URI (put it in the result) with size, ETag and SHA-256
     */
    FileMetadata upload(String name, InputStream content, long size);

    /** Uploads a file as {@code jobs/<job_id>/<task_id>/<name>}. */
    FileMetadata upload(String name, Path file);

    /**
     * A directory of this task's own, deleted when the task ends. A result value that is the path of
     * a file in it is uploaded after the skill returns and replaced by its {@code s3://} URI, as the
     * reference SDK does with its task files.
     */
    Path workDir();
}
