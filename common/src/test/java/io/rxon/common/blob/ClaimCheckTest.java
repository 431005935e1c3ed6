package io.rxon.common.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The claim check's wire format, key layout, reference walking and streaming verification. */
class ClaimCheckTest {

    @TempDir
    Path root;

    @Test
    void shouldOffloadOnlyAboveTheThresholdAndRestoreTheOriginal() {
        // given
        LocalDirectoryBlobStore store = new LocalDirectoryBlobStore(root, Runnable::run);
        ClaimCheck claimCheck = new ClaimCheck(store, 100, 10_000);
        Map<String, Object> small = Map.of("a", 1);
        Map<String, Object> large = Map.of("text", "x".repeat(200), "n", List.of(1, 2));
        BlobUri target = BlobKeys.params("b", "job-1");

        // when
        var inline = claimCheck.offload(small, target).toCompletableFuture().join();
        ClaimCheck.Offloaded offloaded = claimCheck.offload(large, target).toCompletableFuture().join().orElseThrow();

        // then
        assertThat(inline).isEmpty();
        assertThat(offloaded.reference()).isEqualTo(Map.of(ClaimCheck.KEY, "s3://b/jobs/job-1/params.json"));
        FileMetadata metadata = offloaded.metadata().get(ClaimCheck.KEY);
        assertThat(metadata.size()).isGreaterThan(100);
        assertThat(metadata.sha256()).hasSize(64);
        assertThat(metadata.metadata()).containsEntry("content_type", "application/json");
        assertThat(ClaimCheck.isClaimCheck(offloaded.reference())).isTrue();
        assertThat(ClaimCheck.isClaimCheck(Map.of(ClaimCheck.KEY, "s3://b/k", "other", 1))).isFalse();
        assertThat(claimCheck.restore(offloaded.reference(), offloaded.metadata())).isEqualTo(large);
        assertThat(claimCheck.restore(small, null)).isSameAs(small);
    }

    @Test
    void shouldRefuseToRestoreAClaimCheckWhoseBlobChanged() {
        // given
        LocalDirectoryBlobStore store = new LocalDirectoryBlobStore(root, Runnable::run);
        ClaimCheck claimCheck = new ClaimCheck(store, 1, 10_000);
        BlobUri target = BlobKeys.params("b", "job-2");
        ClaimCheck.Offloaded offloaded = claimCheck.offload(Map.of("n", 1111), target).toCompletableFuture().join()
                .orElseThrow();
        byte[] other = "{\"n\":2222}".getBytes(StandardCharsets.UTF_8);
        store.upload(new ByteArrayInputStream(other), other.length, target).toCompletableFuture().join();

        // when / then
        assertThatThrownBy(() -> claimCheck.restore(offloaded.reference(), offloaded.metadata()))
                .isInstanceOf(RxonIntegrityException.class);
    }

    @Test
    void shouldNameEveryJobsBlobsUnderOnePrefix() {
        assertThat(BlobKeys.directory("b", "j").toString()).isEqualTo("s3://b/jobs/j/");
        assertThat(BlobKeys.result("b", "j", "t").toString()).isEqualTo("s3://b/jobs/j/result-t.json");
        assertThat(BlobKeys.output("b", "j", "t", "../../etc/pass wd").toString()).isEqualTo("s3://b/jobs/j/t/pass_wd");
        assertThat(BlobKeys.ownerOf(BlobUri.parse("s3://b/jobs/upload-1/x/y"))).contains("upload-1");
        assertThat(BlobKeys.ownerOf(BlobUri.parse("s3://b/other/x"))).isEmpty();
        assertThat(BlobKeys.ownerOf(BlobUri.parse("s3://b/jobs/"))).isEmpty();
        assertThat(BlobKeys.safeName("..")).isEqualTo("blob");
    }

    @Test
    void shouldFindReferencesByKeyPathAtAnyDepth() {
        Map<String, Object> payload = Map.of("a", Map.of("b", "s3://x/1"), "list", List.of("plain", "s3://x/2"),
                "n", 3, "not", "s3://");
        assertThat(BlobReferences.find(payload)).containsOnly(Map.entry("a.b", "s3://x/1"),
                Map.entry("list[1]", "s3://x/2"));
        assertThat(BlobReferences.rewrite(payload, (path, value) -> value.startsWith("s3://x") ? path : value))
                .containsEntry("a", Map.of("b", "a.b")).containsEntry("list", List.of("plain", "list[1]"));
    }

    @Test
    void shouldVerifyWhileStreamingAndFailAtTheEndOfACorruptedBlob() throws Exception {
        // given
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        FileMetadata right = new FileMetadata("s3://b/k", 5, "5d41402abc4b2a76b9719d911017c592",
                Map.of("sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        FileMetadata wrongSha = new FileMetadata("s3://b/k", 5, null, Map.of("sha256", "00".repeat(32)));
        FileMetadata shorter = new FileMetadata("s3://b/k", 4, null, null);
        FileMetadata multipart = new FileMetadata("s3://b/k", 5, "abc-2", null);

        // when / then
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(content), right, null)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(content), wrongSha, null)
                .readAllBytes()).isInstanceOf(RxonIntegrityException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(content), shorter, null)
                .readAllBytes()).isInstanceOf(RxonIntegrityException.class).hasMessageContaining("exceeds");
        // a multipart ETag is not compared with the content's MD5, only with the store's ETag
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(content), multipart, null)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(content), multipart, "abd-2")
                .readAllBytes()).isInstanceOf(RxonIntegrityException.class).hasMessageContaining("ETag");
    }
}
