package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobReferences;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.orchestrator.blob.BlobStorage;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Blobs of a parent task that live in the parent's store, when that is not ours: an rxon-java
 * parent adds a presigned GET URL for each ({@link Protocol#TASK_BLOB_URLS}, docs/HOLARCHY.md), and
 * each is streamed from there into a new upload directory of ours, owned by the parent's client, so
 * the local job refers to our copies. Size and ETag are checked against the task's
 * {@code params_metadata}. A parent that gives no URLs (a Python one) leaves the references as
 * they are, as a shared store needs; that is said once in the log.
 */
final class BlobIntake {

    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final String INSERT_UPLOAD = "INSERT INTO blob_uploads (id, client_id, created_at) VALUES ($1, $2, $3)";

    private final BlobStorage storage;
    private final Pool pool;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final AtomicBoolean warned = new AtomicBoolean();

    BlobIntake(BlobStorage storage, Pool pool, Clock clock) {
        this.storage = storage;
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * The task's params with every reference the parent gave a URL for replaced by our copy.
     *
     * @throws RxonException {@code INTEGRITY_MISMATCH_ERROR} for a copy unlike the metadata,
     *     {@code TRANSIENT_ERROR} when the parent's store or ours could not be reached
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> localParams(TaskPayload task) {
        Map<String, String> foreign = new LinkedHashMap<>();
        BlobReferences.find(task.params()).forEach((path, uri) -> {
            if (!ours(uri)) {
                foreign.put(path, uri);
            }
        });
        if (foreign.isEmpty()) {
            return task.params();
        }
        Map<String, Object> urls = task.extra().get(Protocol.TASK_BLOB_URLS) instanceof Map<?, ?> given
                ? (Map<String, Object>) given : Map.of();
        if (urls.isEmpty()) {
            if (warned.compareAndSet(false, true)) {
                Log.warnf("parent task %s refers to blobs outside this orchestrator's bucket %s (%s) and the parent "
                        + "gives no presigned URLs for them: they pass to the leaf untouched, which works only when "
                        + "both levels share the store", task.taskId(), storage.bucket(), foreign.values().iterator()
                        .next());
            }
            return task.params();
        }
        String owner = "upload-" + UUID.randomUUID();
        pool.preparedQuery(INSERT_UPLOAD).execute(Tuple.of(owner, TaskIntake.PARENT_CLIENT.clientId(), clock.millis()))
                .await().indefinitely();
        Map<String, String> copies = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, String> reference : foreign.entrySet()) {
            String uri = reference.getValue();
            if (copies.containsKey(uri) || !(urls.get(uri) instanceof Map<?, ?> url)) {
                continue;
            }
            String name = BlobKeys.safeName(uri);
            for (int n = 1; !names.add(name); n++) {
                name = n + "-" + BlobKeys.safeName(uri);
            }
            BlobUri target = BlobKeys.directory(storage.bucket(), owner).resolve(name);
            FileMetadata copy = copy((Map<String, Object>) url, target);
            try {
                verify(uri, copy, task.paramsMetadata() == null ? null : task.paramsMetadata().get(reference.getKey()));
            } catch (RxonIntegrityException e) {
                storage.store().delete(target);
                throw e;
            }
            copies.put(uri, copy.uri());
            Log.infof("parent task %s: blob %s copied to %s (%d bytes)", task.taskId(), uri, copy.uri(), copy.size());
        }
        return BlobReferences.rewrite(task.params(), (path, value) -> copies.getOrDefault(value, value));
    }

    private boolean ours(String uri) {
        try {
            return BlobUri.parse(uri).bucket().equals(storage.bucket());
        } catch (IllegalArgumentException e) {
            return true; // not a usable reference anywhere: leave it to the local job's own checks
        }
    }

    /** Streams the object behind a presigned URL into our store: memory use does not grow with its size. */
    @SuppressWarnings("unchecked")
    private FileMetadata copy(Map<String, Object> url, BlobUri target) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(String.valueOf(url.get("url")))).GET();
            if (url.get("headers") instanceof Map<?, ?> headers) {
                ((Map<String, Object>) headers).forEach((name, value) -> request.header(name, String.valueOf(value)));
            }
        } catch (IllegalArgumentException e) {
            throw new RxonException("the parent gave an unusable blob URL: " + e.getMessage(), ErrorCode.INVALID_INPUT_ERROR);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new RxonException("the parent's store answered " + response.statusCode() + " for a blob",
                            ErrorCode.TRANSIENT_ERROR);
                }
                long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                return storage.store().upload(body, size, target).toCompletableFuture().get();
            }
        } catch (IOException | ExecutionException e) {
            throw new RxonException("could not copy a blob from the parent's store: " + e.getMessage(),
                    ErrorCode.TRANSIENT_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonException("interrupted while copying a blob", ErrorCode.TRANSIENT_ERROR);
        }
    }

    private static void verify(String uri, FileMetadata copy, FileMetadata expected) {
        if (expected == null) {
            return;
        }
        if (expected.size() > 0 && expected.size() != copy.size()) {
            throw new RxonIntegrityException("blob " + uri + " has " + copy.size() + " bytes, its metadata says "
                    + expected.size());
        }
        String want = plainEtag(expected.etag());
        String got = plainEtag(copy.etag());
        // a multipart ETag ("...-n") depends on the part size, so only single-part ETags are compared
        if (want != null && got != null && !want.contains("-") && !got.contains("-") && !want.equals(got)) {
            throw new RxonIntegrityException("blob " + uri + " has ETag " + got + ", its metadata says " + want);
        }
    }

    private static String plainEtag(String etag) {
        return etag == null || etag.isBlank() ? null : etag.replace("\"", "");
    }
}
