package io.rxon.common.blob;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The embedded-default {@link BlobStore}: {@code s3://bucket/key} lives at {@code root/bucket/key}
 * on the local disk. Writes go to a temporary file that is moved into place, so a reader never
 * sees half an object. The ETag is the MD5 hex of the content, as S3 computes it for a single-part
 * upload.
 */
public final class LocalDirectoryBlobStore implements BlobStore {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path root;
    private final Executor executor;

    public LocalDirectoryBlobStore(Path root, Executor executor) {
        this.root = root.toAbsolutePath().normalize();
        this.executor = executor;
    }

    @Override
    public CompletionStage<FileMetadata> upload(Path localFile, BlobUri target) {
        return async(() -> {
            try (InputStream in = Files.newInputStream(localFile)) {
                return write(in, target);
            }
        });
    }

    @Override
    public CompletionStage<FileMetadata> upload(InputStream content, long size, BlobUri target) {
        return async(() -> {
            FileMetadata metadata = write(content, target);
            if (size >= 0 && metadata.size() != size) {
                Files.deleteIfExists(pathOf(target));
                throw new RxonException("stream for " + target + " ended after " + metadata.size()
                        + " of " + size + " bytes", ErrorCode.INTEGRITY_MISMATCH_ERROR);
            }
            return metadata;
        });
    }

    @Override
    public CompletionStage<Boolean> download(BlobUri source, Path localFile) {
        return async(() -> {
            Path file = pathOf(source);
            if (!Files.isRegularFile(file)) {
                return false;
            }
            Files.createDirectories(localFile.toAbsolutePath().getParent());
            Files.copy(file, localFile, StandardCopyOption.REPLACE_EXISTING);
            return true;
        });
    }

    @Override
    public CompletionStage<InputStream> open(BlobUri source) {
        return async(() -> Files.newInputStream(pathOf(source)));
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> metadata(BlobUri source) {
        return async(() -> {
            Path file = pathOf(source);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(file)) {
                Digests digests = Digests.of(in, OutputStream.nullOutputStream());
                return Optional.of(new BlobInfo(digests.size(), digests.md5(), "application/octet-stream"));
            }
        });
    }

    @Override
    public CompletionStage<Boolean> delete(BlobUri target) {
        return async(() -> Files.deleteIfExists(pathOf(target)));
    }

    @Override
    public CompletionStage<Boolean> deleteDirectory(BlobUri directory) {
        return async(() -> {
            Path dir = pathOf(directory);
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(LocalDirectoryBlobStore::deleteQuietly);
            }
            return true;
        });
    }

    /** The file behind a URI; keys that would escape the root ({@code ../}) are refused. */
    Path pathOf(BlobUri uri) {
        Path path = root.resolve(uri.bucket()).resolve(uri.key()).normalize();
        if (!path.startsWith(root.resolve(uri.bucket()))) {
            throw new IllegalArgumentException("blob key escapes its bucket: " + uri);
        }
        return path;
    }

    private FileMetadata write(InputStream content, BlobUri target) throws IOException {
        Path file = pathOf(target);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".upload-", ".part");
        try {
            Digests digests;
            try (OutputStream out = Files.newOutputStream(temp)) {
                digests = Digests.of(content, out);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new FileMetadata(target.toString(), digests.size(), digests.md5(),
                    Map.of("sha256", digests.sha256()));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private <T> CompletionStage<T> async(IoSupplier<T> action) {
        Supplier<T> unchecked = () -> {
            try {
                return action.get();
            } catch (NoSuchFileException e) {
                throw new CompletionException(new RxonException("no blob at " + e.getFile(),
                        ErrorCode.DEPENDENCY_MISSING_ERROR, 0, e));
            } catch (IOException e) {
                throw new CompletionException(new RxonException("local blob store failed: " + e.getMessage(),
                        ErrorCode.DEPENDENCY_ERROR, 0, e));
            }
        };
        return CompletableFuture.supplyAsync(unchecked, executor);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Size, MD5 and SHA-256 of a stream computed in one pass while copying it. */
    record Digests(long size, String md5, String sha256) {

        static Digests of(InputStream in, OutputStream out) throws IOException {
            MessageDigest md5 = digest("MD5");
            MessageDigest sha256 = digest("SHA-256");
            long size = 0;
            try (DigestInputStream digesting = new DigestInputStream(new DigestInputStream(in, md5), sha256)) {
                byte[] buffer = new byte[BUFFER_SIZE];
                for (int read; (read = digesting.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    size += read;
                }
            }
            return new Digests(size, HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha256.digest()));
        }

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is mandatory in every JRE", e);
            }
        }
    }
}
