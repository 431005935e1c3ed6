package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.blob.BlobInfo;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobReferences;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.blob.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Blobs of a result going up, when the parent keeps its blobs in another store: the result's
 * references into our bucket are uploaded through presigned PUT URLs the parent gives for the
 * task's directory ({@link Protocol#PATH_BLOB_UPLOAD_URLS}, an rxon-java extension) and replaced
 * by the parent's URIs. A parent sharing our store says so ({@code shared}); a parent without the
 * endpoint (a Python one, 404) or that refuses it gets the references untouched, with a warning.
 */
final class BlobHandup {

    private final Transport transport;
    private final BlobStorage storage;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicBoolean warned = new AtomicBoolean();

    BlobHandup(Transport transport, BlobStorage storage) {
        this.transport = transport;
        this.storage = storage;
    }

    /**
     * The result as the parent should see it.
     *
     * @throws RuntimeException when the parent or a store could not be reached: try again later
     */
    @SuppressWarnings("unchecked")
    TaskResult handedUp(TaskResult result) {
        if (!ResultStatus.SUCCESS.wire().equals(result.status()) || result.data() == null) {
            return result;
        }
        Map<String, BlobUri> ours = new LinkedHashMap<>();
        BlobReferences.find(result.data()).values().forEach(uri -> ourBlob(uri).ifPresent(blob -> ours.put(uri, blob)));
        if (ours.isEmpty()) {
            return result;
        }
        Map<String, BlobInfo> infos = new LinkedHashMap<>();
        List<Map<String, Object>> wanted = new ArrayList<>();
        Map<String, String> nameOf = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, BlobUri> blob : ours.entrySet()) {
            Optional<BlobInfo> info = join(storage.store().metadata(blob.getValue()));
            if (info.isEmpty()) {
                continue; // a dangling reference stays as it is: nothing to copy
            }
            String name = BlobKeys.safeName(blob.getKey());
            for (int n = 1; !names.add(name); n++) {
                name = n + "-" + BlobKeys.safeName(blob.getKey());
            }
            infos.put(blob.getKey(), info.get());
            nameOf.put(name, blob.getKey());
            wanted.add(Map.of("name", name, "size", info.get().size()));
        }
        if (wanted.isEmpty()) {
            return result;
        }
        Map<String, Object> answer;
        try {
            answer = transport.postExtension(Protocol.PATH_BLOB_UPLOAD_URLS, Map.of("job_id", result.jobId(),
                    "task_id", result.taskId(), "blobs", wanted));
        } catch (RxonException e) {
            int status = e.httpStatus().orElse(503);
            if (status >= 500 && status != 501) {
                throw e;
            }
            warnOnce("the parent gives no upload URLs for result blobs (" + status + ": " + e.getMessage()
                    + "): the result of parent task " + result.taskId() + " keeps references into this "
                    + "orchestrator's bucket " + storage.bucket() + ", which the parent reads only if it shares the store");
            return result;
        }
        if (Boolean.TRUE.equals(answer.get("shared")) || !(answer.get("urls") instanceof List<?> urls)) {
            return result;
        }
        Map<String, String> moved = new LinkedHashMap<>();
        Map<String, String> etags = new LinkedHashMap<>();
        for (Object entry : urls) {
            Map<String, Object> url = (Map<String, Object>) entry;
            String source = nameOf.get(String.valueOf(url.get("name")));
            if (source != null) {
                etags.put(source, put(ours.get(source), infos.get(source), url));
                moved.put(source, String.valueOf(url.get("uri")));
            }
        }
        Log.infof("result of parent task %s: %d blob(s) copied into the parent's store", result.taskId(), moved.size());
        return rewritten(result, moved, etags);
    }

    private static TaskResult rewritten(TaskResult result, Map<String, String> moved, Map<String, String> etags) {
        Map<String, Object> data = BlobReferences.rewrite(result.data(), (path, value) -> moved.getOrDefault(value, value));
        Map<String, FileMetadata> metadata = null;
        if (result.dataMetadata() != null) {
            metadata = new LinkedHashMap<>();
            for (Map.Entry<String, FileMetadata> entry : result.dataMetadata().entrySet()) {
                FileMetadata file = entry.getValue();
                metadata.put(entry.getKey(), moved.containsKey(file.uri()) ? new FileMetadata(moved.get(file.uri()),
                        file.size(), etags.get(file.uri()), file.metadata()) : file);
            }
        }
        return new TaskResult(result.jobId(), result.taskId(), result.workerId(), result.originWorkerId(),
                result.status(), data, result.error(), metadata, result.security(), result.metadata(),
                result.timestamp(), result.costs());
    }

    /** Streams our blob to the presigned URL; the ETag the parent's store answered. */
    @SuppressWarnings("unchecked")
    private String put(BlobUri source, BlobInfo info, Map<String, Object> url) {
        InputStream content = join(storage.store().open(source));
        try (content) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(String.valueOf(url.get("url"))))
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> content), info.size()));
            if (url.get("headers") instanceof Map<?, ?> headers) {
                ((Map<String, Object>) headers).forEach((name, value) -> {
                    if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
                        request.header(name, String.valueOf(value));
                    }
                });
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new RxonException("the parent's store answered " + response.statusCode() + " to an upload",
                        ErrorCode.TRANSIENT_ERROR);
            }
            String etag = response.headers().firstValue("ETag").map(value -> value.replace("\"", "")).orElse(null);
            String expected = info.etag() == null ? null : info.etag().replace("\"", "");
            // a multipart ETag ("...-n") depends on the part size, so only single-part ETags are compared
            if (etag != null && expected != null && !etag.contains("-") && !expected.contains("-")
                    && !etag.equals(expected)) {
                throw new RxonException("blob " + source + " arrived in the parent's store with ETag " + etag
                        + " instead of " + expected, ErrorCode.INTEGRITY_MISMATCH_ERROR);
            }
            return etag;
        } catch (IOException e) {
            throw new RxonException("could not upload " + source + " to the parent's store: " + e.getMessage(),
                    ErrorCode.TRANSIENT_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonException("interrupted while uploading " + source, ErrorCode.TRANSIENT_ERROR);
        }
    }

    private Optional<BlobUri> ourBlob(String uri) {
        try {
            BlobUri blob = BlobUri.parse(uri);
            return blob.bucket().equals(storage.bucket()) && !blob.directory() ? Optional.of(blob) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            Log.warn(message);
        }
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new RxonException("blob store: " + e.getCause().getMessage(), ErrorCode.TRANSIENT_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonException("interrupted", ErrorCode.TRANSIENT_ERROR);
        }
    }
}
