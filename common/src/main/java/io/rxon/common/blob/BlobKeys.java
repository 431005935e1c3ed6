package io.rxon.common.blob;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one key layout of blobs (PROTOCOL.md §11.8): everything a job owns lives under
 * {@code jobs/<job_id>/}, whether the orchestrator, a worker or a client through a presigned URL
 * wrote it, so that clean-up removes a job's blobs with one prefix. A client upload made before its
 * job exists uses an upload id in place of the job id ({@code jobs/<upload_id>/}).
 */
public final class BlobKeys {

    /** Prefix of every job's (and upload's) directory. */
    public static final String JOBS = "jobs/";
    /** Name of a job's offloaded params (claim check). */
    public static final String PARAMS = "params.json";

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_NAME = 200;

    private BlobKeys() {}

    /** {@code s3://bucket/jobs/<owner>/}. */
    public static BlobUri directory(String bucket, String ownerId) {
        return new BlobUri(bucket, JOBS + ownerId + "/", true);
    }

    /** Where a job's offloaded params go. */
    public static BlobUri params(String bucket, String jobId) {
        return directory(bucket, jobId).resolve(PARAMS);
    }

    /** Where the offloaded result data of one task attempt go. */
    public static BlobUri result(String bucket, String jobId, String taskId) {
        return directory(bucket, jobId).resolve("result-" + taskId + ".json");
    }

    /** A file a task produced: {@code jobs/<job_id>/<task_id>/<name>}. */
    public static BlobUri output(String bucket, String jobId, String taskId, String name) {
        return directory(bucket, jobId).resolve(taskId + "/" + safeName(name));
    }

    /** The job or upload whose directory holds {@code uri}; empty for keys outside {@code jobs/}. */
    public static Optional<String> ownerOf(BlobUri uri) {
        String key = uri.key();
        if (!key.startsWith(JOBS)) {
            return Optional.empty();
        }
        int end = key.indexOf('/', JOBS.length());
        return end <= JOBS.length() ? Optional.empty() : Optional.of(key.substring(JOBS.length(), end));
    }

    /**
     * A file name safe as a key segment: letters, digits, {@code . _ -}; anything else becomes
     * {@code _}; never empty, never {@code .} or {@code ..}, at most 200 characters.
     */
    public static String safeName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String safe = UNSAFE.matcher(base).replaceAll("_");
        if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
            safe = "blob";
        }
        return safe.length() > MAX_NAME ? safe.substring(safe.length() - MAX_NAME) : safe;
    }
}
