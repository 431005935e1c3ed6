package io.rxon.worker.blob;

import io.quarkus.logging.Log;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobReferences;
import io.rxon.common.blob.BlobStore;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.ClaimCheck;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's blob handling around every task (docs/BLOBS.md): before the skill runs it restores
 * claim-checked params and, for skills that want files, downloads and verifies referenced inputs;
 * while it runs it gives the skill a {@link TaskFiles}; after it returns it uploads output files,
 * adds the metadata of blobs the result refers to, and offloads result data over the threshold.
 * Uploads complete before the result names them, so a result never refers to half a blob.
 */
public final class TaskBlobs {

    private final BlobStore store;
    private final String bucket;
    private final boolean shared;
    private final ClaimCheck claimCheck;
    private final Path taskRoot;

    /**
     * @param store null when the worker has no blob store at all (tests, embedded programs)
     * @param shared whether the store is reachable by the orchestrator and clients (S3): only then are
     *     results offloaded
     * @param taskRoot parent of the tasks' own directories
     */
    public TaskBlobs(BlobStore store, String bucket, boolean shared, long offloadThreshold, long maxRestoreBytes,
            Path taskRoot) {
        this.store = store;
        this.bucket = bucket;
        this.shared = shared;
        this.claimCheck = store == null ? null : new ClaimCheck(store, offloadThreshold, maxRestoreBytes);
        this.taskRoot = taskRoot.toAbsolutePath().normalize();
    }

    /** No blob store: claim checks and blob access fail with {@code DEPENDENCY_MISSING_ERROR}. */
    public static TaskBlobs none() {
        return new TaskBlobs(null, "none", false, Long.MAX_VALUE, 0, Path.of(System.getProperty("java.io.tmpdir"),
                "rxon-tasks"));
    }

    /** The blob access of one task; close it when the task has ended. */
    public TaskFiles files(TaskPayload task) {
        return new TaskFiles(this, task, taskRoot.resolve(BlobKeys.safeName(task.taskId())));
    }

    /** The task with claim-checked params replaced by the verified original. Blocks while reading. */
    public TaskPayload restore(TaskPayload task) {
        if (!ClaimCheck.isClaimCheck(task.params())) {
            return task;
        }
        Map<String, Object> params = claimCheck().restore(task.params(), task.paramsMetadata());
        Log.debugf("task %s: restored offloaded params from %s", task.taskId(), task.params().get(ClaimCheck.KEY));
        return task.withParams(params);
    }

    /** Params with every {@code s3://} value downloaded into the task's directory and replaced by its path. */
    public Map<String, Object> stageInputs(Map<String, Object> params, TaskFiles files) {
        return BlobReferences.rewrite(params, (path, value) -> BlobUri.isBlobUri(value)
                ? files.download(value).toString() : value);
    }

    /**
     * The result as sent: output files uploaded, metadata of the blobs it refers to added, data over the
     * threshold offloaded. Blocks while uploading.
     */
    public TaskResult finish(TaskResult result, TaskFiles files) {
        if (result.data() == null || result.data().isEmpty() || store == null) {
            return result;
        }
        Map<String, FileMetadata> metadata = new LinkedHashMap<>(result.dataMetadata() == null ? Map.of()
                : result.dataMetadata());
        Map<String, Object> data = BlobReferences.rewrite(result.data(), (path, value) -> {
            Optional<FileMetadata> uploaded = files.uploadIfOutput(value);
            uploaded.ifPresent(file -> metadata.put(path, file));
            return uploaded.<Object>map(FileMetadata::uri).orElse(value);
        });
        BlobReferences.find(data).forEach((path, uri) -> files.written(uri).ifPresent(file ->
                metadata.putIfAbsent(path, file)));
        if (shared) {
            Optional<ClaimCheck.Offloaded> offloaded = TaskFiles.await(claimCheck.offload(data,
                    BlobKeys.result(bucket, result.jobId(), result.taskId())));
            if (offloaded.isPresent()) {
                data = offloaded.get().reference();
                metadata.putAll(offloaded.get().metadata());
                Log.debugf("task %s: result data offloaded to %s", result.taskId(), data.get(ClaimCheck.KEY));
            }
        }
        return result.withData(data, metadata.isEmpty() ? null : metadata);
    }

    BlobStore store() {
        if (store == null) {
            throw new RxonException("this worker has no blob store configured", ErrorCode.DEPENDENCY_MISSING_ERROR);
        }
        return store;
    }

    String bucket() {
        return bucket;
    }

    private ClaimCheck claimCheck() {
        store();
        return claimCheck;
    }
}
