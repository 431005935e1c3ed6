package io.rxon.blob.s3;

import io.rxon.common.blob.BlobInfo;
import io.rxon.common.blob.BlobStore;
import io.rxon.common.blob.BlobStream;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link BlobStore} on S3 or any S3-compatible server, through the SDK's {@link S3AsyncClient}.
 *
 * <p>Memory does not grow with blob size: uploads are read part by part into one buffer of
 * {@link S3Settings#partSize()} bytes (a single PUT below that size, a multipart upload above it),
 * downloads stream to a file, or to the reader through {@link BoundedSubscriberStream}, which keeps at
 * most 64 network chunks (about 512 KB) in memory. SHA-256 and size are computed while
 * uploading and returned in the {@link FileMetadata}.
 *
 * <p>Nothing half-written is ever visible: a single PUT is atomic, a multipart upload only becomes
 * an object when it is completed, and any failure aborts it. Calls are retried by the SDK
 * ({@link S3Settings#maxAttempts()}); what still fails is translated by {@link S3Errors}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final int DELETE_BATCH = 1000;
    /**
     * Network chunks a reader may have outstanding (the SDK delivers 8 KB chunks, so about 512 KB),
     * replenished 32 at a time: 8, asked for one by one, cost a thread hand-off per 8 KB.
     */
    private static final int PREFETCH = 64;
    private static final System.Logger LOG = System.getLogger(S3BlobStore.class.getName());

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final Executor executor;
    private final boolean ownsClient;

    /**
     * @param executor runs the blocking part of uploads (reading the caller's stream); the worker
     *     passes the calling thread, the orchestrator a worker pool
     */
    public S3BlobStore(S3Settings settings, Executor executor) {
        this(S3Clients.asyncClient(settings), settings, executor, true);
    }

    S3BlobStore(S3AsyncClient client, S3Settings settings, Executor executor, boolean ownsClient) {
        this.client = client;
        this.settings = settings;
        this.executor = executor;
        this.ownsClient = ownsClient;
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public CompletionStage<FileMetadata> upload(Path localFile, BlobUri target) {
        return blocking(() -> {
            long size = Files.size(localFile);
            try (InputStream in = Files.newInputStream(localFile)) {
                return write(in, size, target);
            }
        }, "upload of " + target);
    }

    @Override
    public CompletionStage<FileMetadata> upload(InputStream content, long size, BlobUri target) {
        return blocking(() -> write(content, size, target), "upload of " + target);
    }

    @Override
    public CompletionStage<Boolean> download(BlobUri source, Path localFile) {
        Path target = localFile.toAbsolutePath();
        Path temp;
        try {
            Files.createDirectories(target.getParent());
            temp = target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".part");
        } catch (IOException e) {
            return CompletableFuture.failedFuture(S3Errors.translate(e, "download of " + source));
        }
        return client.getObject(get -> get.bucket(source.bucket()).key(source.key()),
                        AsyncResponseTransformer.toFile(temp))
                .handle((response, error) -> {
                    if (error != null) {
                        deleteQuietly(temp);
                        if (S3Errors.isNotFound(error)) {
                            return false;
                        }
                        throw S3Errors.translate(error, "download of " + source);
                    }
                    try {
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        deleteQuietly(temp);
                        throw S3Errors.translate(e, "download of " + source);
                    }
                    return true;
                });
    }

    @Override
    public CompletionStage<InputStream> open(BlobUri source) {
        return client.getObject(get -> get.bucket(source.bucket()).key(source.key()),
                        AsyncResponseTransformer.<GetObjectResponse>toPublisher())
                .handle((publisher, error) -> {
                    if (error != null) {
                        throw S3Errors.translate(error, "read of " + source);
                    }
                    BoundedSubscriberStream content = new BoundedSubscriberStream(PREFETCH);
                    publisher.subscribe(content);
                    return new S3ObjectStream(content, publisher.response(), source);
                });
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> metadata(BlobUri source) {
        return client.headObject(head -> head.bucket(source.bucket()).key(source.key()))
                .handle((head, error) -> {
                    if (error != null) {
                        if (S3Errors.isNotFound(error)) {
                            return Optional.<BlobInfo>empty();
                        }
                        throw S3Errors.translate(error, "metadata of " + source);
                    }
                    return Optional.of(info(head));
                });
    }

    @Override
    public CompletionStage<Boolean> delete(BlobUri target) {
        return metadata(target).thenCompose(existing -> existing.isEmpty()
                ? CompletableFuture.completedFuture(false)
                : client.deleteObject(delete -> delete.bucket(target.bucket()).key(target.key()))
                        .handle((response, error) -> {
                            if (error != null) {
                                throw S3Errors.translate(error, "delete of " + target);
                            }
                            return true;
                        }));
    }

    @Override
    public CompletionStage<Boolean> deleteDirectory(BlobUri directory) {
        String prefix = directory.key().isEmpty() || directory.key().endsWith("/") ? directory.key()
                : directory.key() + "/";
        if (prefix.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "refusing to delete a whole bucket: " + directory));
        }
        return deletePage(directory.bucket(), prefix, null, false);
    }

    /** Lists one page under {@code prefix}, deletes it, and goes on with the next page. */
    private CompletionStage<Boolean> deletePage(String bucket, String prefix, String token, boolean deletedAny) {
        return client.listObjectsV2(list -> list.bucket(bucket).prefix(prefix).maxKeys(DELETE_BATCH)
                        .continuationToken(token))
                .thenCompose(page -> deleteObjects(bucket, page).thenCompose(deleted -> {
                    boolean any = deletedAny || deleted;
                    return Boolean.TRUE.equals(page.isTruncated())
                            ? deletePage(bucket, prefix, page.nextContinuationToken(), any)
                            : CompletableFuture.completedFuture(any);
                }))
                .handle((any, error) -> {
                    if (error != null) {
                        throw S3Errors.translate(error, "delete of s3://" + bucket + "/" + prefix);
                    }
                    return any;
                });
    }

    private CompletionStage<Boolean> deleteObjects(String bucket, ListObjectsV2Response page) {
        List<ObjectIdentifier> keys = page.contents().stream()
                .map(S3Object::key)
                .map(key -> ObjectIdentifier.builder().key(key).build())
                .toList();
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return client.deleteObjects(delete -> delete.bucket(bucket).delete(d -> d.objects(keys).quiet(true)))
                .thenApply(response -> {
                    if (!response.errors().isEmpty()) {
                        throw new RxonException("could not delete " + response.errors().size() + " object(s) under s3://"
                                + bucket + ", e.g. " + response.errors().get(0).key() + ": "
                                + response.errors().get(0).message(), ErrorCode.DEPENDENCY_ERROR);
                    }
                    return true;
                });
    }

    /** Reads {@code content} part by part: one PUT when it fits in a part, else a multipart upload. */
    private FileMetadata write(InputStream content, long expectedSize, BlobUri target) throws IOException {
        if (target.directory()) {
            throw new IllegalArgumentException("cannot upload to a directory URI: " + target);
        }
        MessageDigest sha256 = sha256();
        // A known small size needs a buffer of that size (+1 to notice a longer stream), not a whole part.
        boolean small = expectedSize >= 0 && expectedSize < settings.partSize();
        byte[] buffer = new byte[small ? (int) expectedSize + 1 : settings.partSize()];
        int first = content.readNBytes(buffer, 0, buffer.length);
        if (first < buffer.length || small) {
            sha256.update(buffer, 0, first);
            checkSize(target, expectedSize, first);
            String etag = join(client.putObject(put -> put.bucket(target.bucket()).key(target.key())
                    .contentLength((long) first), AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(buffer, 0,
                    first)))).eTag();
            return metadata(target, first, etag, sha256);
        }
        return multipart(content, expectedSize, target, buffer, first, sha256);
    }

    /** Uploads the parts one after the other, reusing one buffer; aborts the upload on any failure. */
    private FileMetadata multipart(InputStream content, long expectedSize, BlobUri target, byte[] buffer, int first,
            MessageDigest sha256) throws IOException {
        String uploadId = join(client.createMultipartUpload(create -> create.bucket(target.bucket())
                .key(target.key()))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int length = first;
            while (length > 0) {
                sha256.update(buffer, 0, length);
                total += length;
                if (expectedSize >= 0 && total > expectedSize) {
                    checkSize(target, expectedSize, total);
                }
                int number = parts.size() + 1;
                int partLength = length;
                String etag = join(client.uploadPart(part -> part.bucket(target.bucket()).key(target.key())
                                .uploadId(uploadId).partNumber(number).contentLength((long) partLength),
                        AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(buffer, 0, partLength)))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                length = content.readNBytes(buffer, 0, buffer.length);
            }
            checkSize(target, expectedSize, total);
            String etag = join(client.completeMultipartUpload(complete -> complete.bucket(target.bucket())
                    .key(target.key()).uploadId(uploadId).multipartUpload(upload -> upload.parts(parts)))).eTag();
            return metadata(target, total, etag, sha256);
        } catch (IOException | RuntimeException e) {
            abort(target, uploadId);
            throw e;
        }
    }

    /** Best effort: an upload that cannot be aborted now is removed by the bucket's lifecycle rule. */
    private void abort(BlobUri target, String uploadId) {
        try {
            client.abortMultipartUpload(abort -> abort.bucket(target.bucket()).key(target.key()).uploadId(uploadId))
                    .join();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not abort multipart upload {0} of {1}: {2}", uploadId, target,
                    e.getMessage());
        }
    }

    private static void checkSize(BlobUri target, long expected, long actual) {
        if (expected >= 0 && expected != actual) {
            throw new RxonException("stream for " + target + " ended after " + actual + " of " + expected + " bytes",
                    ErrorCode.INTEGRITY_MISMATCH_ERROR);
        }
    }

    private static FileMetadata metadata(BlobUri target, long size, String etag, MessageDigest sha256) {
        return new FileMetadata(target.toString(), size, unquote(etag),
                Map.of("sha256", HexFormat.of().formatHex(sha256.digest())));
    }

    private static BlobInfo info(HeadObjectResponse head) {
        return new BlobInfo(head.contentLength() == null ? 0 : head.contentLength(), unquote(head.eTag()),
                head.contentType());
    }

    static String unquote(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw S3Errors.translate(e, "S3 call");
        }
    }

    private <T> CompletionStage<T> blocking(IoSupplier<T> action, String what) {
        Supplier<T> unchecked = () -> {
            try {
                return action.get();
            } catch (IOException | RuntimeException e) {
                throw new CompletionException(S3Errors.translate(e, what));
            }
        };
        return CompletableFuture.supplyAsync(unchecked, executor);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover .part file is harmless and overwritten by the next attempt
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** An object being read, with size and ETag from the response; read errors become RXON failures. */
    private static final class S3ObjectStream extends BlobStream {

        private final BlobUri source;

        S3ObjectStream(InputStream content, GetObjectResponse response, BlobUri source) {
            super(content, new BlobInfo(response.contentLength() == null ? 0 : response.contentLength(),
                    unquote(response.eTag()), response.contentType()));
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw S3Errors.translate(e, "read of " + source);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                throw S3Errors.translate(e, "read of " + source);
            }
        }
    }
}
