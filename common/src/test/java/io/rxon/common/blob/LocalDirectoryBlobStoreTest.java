package io.rxon.common.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryBlobStoreTest {

    @TempDir
    Path root;

    @TempDir
    Path scratch;

    private LocalDirectoryBlobStore store() {
        return new LocalDirectoryBlobStore(root, ForkJoinPool.commonPool());
    }

    @Test
    void shouldStoreStreamsWithSizeEtagAndDigest() throws Exception {
        // given
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        BlobUri uri = BlobUri.parse("s3://payloads/jobs/j1/in.txt");

        // when
        FileMetadata metadata = store().upload(new ByteArrayInputStream(content), content.length, uri)
                .toCompletableFuture().join();

        // then (md5 and sha256 of "hello")
        assertThat(metadata.uri()).isEqualTo("s3://payloads/jobs/j1/in.txt");
        assertThat(metadata.size()).isEqualTo(5);
        assertThat(metadata.etag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(metadata.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        try (InputStream in = store().open(uri).toCompletableFuture().join()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store().metadata(uri).toCompletableFuture().join()).hasValueSatisfying(info ->
                assertThat(info.etag()).isEqualTo(metadata.etag()));
    }

    @Test
    void shouldUploadAndDownloadFiles() throws Exception {
        Path source = Files.writeString(scratch.resolve("a.bin"), "abc");
        BlobUri uri = BlobUri.parse("s3://b/k/a.bin");

        store().upload(source, uri).toCompletableFuture().join();
        boolean found = store().download(uri, scratch.resolve("out/a.bin")).toCompletableFuture().join();

        assertThat(found).isTrue();
        assertThat(Files.readString(scratch.resolve("out/a.bin"))).isEqualTo("abc");
        assertThat(store().download(BlobUri.parse("s3://b/missing"), scratch.resolve("x")).toCompletableFuture().join())
                .isFalse();
    }

    @Test
    void shouldRefuseATruncatedStreamAndLeaveNothingBehind() {
        BlobUri uri = BlobUri.parse("s3://b/short.bin");

        assertThatThrownBy(() -> store().upload(new ByteArrayInputStream(new byte[3]), 10, uri)
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RxonException.class);
        assertThat(store().metadata(uri).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void shouldDeleteObjectsAndDirectories() {
        BlobStore store = store();
        store.upload(new ByteArrayInputStream(new byte[1]), 1, BlobUri.parse("s3://b/jobs/j1/a")).toCompletableFuture().join();
        store.upload(new ByteArrayInputStream(new byte[1]), 1, BlobUri.parse("s3://b/jobs/j1/sub/b")).toCompletableFuture().join();
        store.upload(new ByteArrayInputStream(new byte[1]), 1, BlobUri.parse("s3://b/jobs/j2/a")).toCompletableFuture().join();

        assertThat(store.deleteDirectory(BlobUri.parse("s3://b/jobs/j1/")).toCompletableFuture().join()).isTrue();
        assertThat(store.metadata(BlobUri.parse("s3://b/jobs/j1/sub/b")).toCompletableFuture().join()).isEmpty();
        assertThat(store.metadata(BlobUri.parse("s3://b/jobs/j2/a")).toCompletableFuture().join()).isPresent();
        assertThat(store.delete(BlobUri.parse("s3://b/jobs/j2/a")).toCompletableFuture().join()).isTrue();
        assertThat(store.delete(BlobUri.parse("s3://b/jobs/j2/a")).toCompletableFuture().join()).isFalse();
        assertThat(store.deleteDirectory(BlobUri.parse("s3://b/none/")).toCompletableFuture().join()).isFalse();
    }

    @Test
    void shouldReportAMissingObjectWhenOpened() {
        assertThatThrownBy(() -> store().open(BlobUri.parse("s3://b/nothing")).toCompletableFuture().join())
                .hasCauseInstanceOf(RxonException.class)
                .satisfies(e -> assertThat(((RxonException) e.getCause()).code())
                        .isEqualTo(ErrorCode.DEPENDENCY_MISSING_ERROR));
    }

    @Test
    void shouldRefuseKeysThatEscapeTheBucket() {
        assertThatThrownBy(() -> store().pathOf(BlobUri.parse("s3://b/../other/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDetectIntegrityMismatches() {
        FileMetadata expected = new FileMetadata("s3://b/k", 5, "\"abc\"", Map.of("sha256", "ff"));

        assertThatThrownBy(() -> BlobIntegrity.verify(expected, 4, "abc", "ff"))
                .isInstanceOf(RxonIntegrityException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> BlobIntegrity.verify(expected, 5, "abd", "ff")).hasMessageContaining("ETag");
        assertThatThrownBy(() -> BlobIntegrity.verify(expected, 5, "abc", "00")).hasMessageContaining("SHA-256");
        BlobIntegrity.verify(expected, 5, "abc", "FF");
        BlobIntegrity.verify(new FileMetadata("s3://b/k", 0, null, null), 99, "x", "y");
    }
}
