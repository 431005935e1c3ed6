package io.rxon.common.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verified read: which digests it computes for which metadata (only those something is
 * compared with), and that every stated fact is still checked.
 */
class VerifyingInputStreamTest {

    private static final byte[] CONTENT = "hello".getBytes(StandardCharsets.UTF_8);
    /** Same size as {@link #CONTENT}, other bytes. */
    private static final byte[] CORRUPTED = "jello".getBytes(StandardCharsets.UTF_8);
    private static final String MD5 = "5d41402abc4b2a76b9719d911017c592";
    private static final String SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static final String URI = "s3://b/k";

    private static FileMetadata metadata(long size, String etag, String sha256) {
        return new FileMetadata(URI, size, etag, sha256 == null ? null : Map.of("sha256", sha256));
    }

    static Stream<Arguments> digestsByMetadata() {
        return Stream.of(
                // a client upload as the orchestrator describes it, read from S3: the store's ETag is compared
                Arguments.of("size and ETag, store ETag", metadata(5, MD5, null), MD5, List.of()),
                Arguments.of("size only", metadata(5, null, null), null, List.of()),
                Arguments.of("nothing", metadata(0, null, null), MD5, List.of()),
                Arguments.of("multipart ETag, no store ETag", metadata(5, "abc-2", null), null, List.of()),
                Arguments.of("multipart ETag, store ETag", metadata(5, "abc-2", null), "abc-2", List.of()),
                // a local file: nothing but the content's MD5 can be compared with a single-part ETag
                Arguments.of("single-part ETag, no store ETag", metadata(5, MD5, null), null, List.of("MD5")),
                // written by rxon: the SHA-256 is stated, so it is computed
                Arguments.of("SHA-256 and ETag, store ETag", metadata(5, MD5, SHA256), MD5, List.of("SHA-256")),
                Arguments.of("SHA-256 only", metadata(0, null, SHA256), null, List.of("SHA-256")),
                Arguments.of("SHA-256 and ETag, no store ETag", metadata(5, MD5, SHA256), null,
                        List.of("SHA-256", "MD5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digestsByMetadata")
    void shouldComputeOnlyTheDigestsSomethingIsComparedWith(String name, FileMetadata expected, String storeEtag,
            List<String> digests) throws IOException {
        // given
        try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), expected,
                storeEtag)) {
            // when
            byte[] read = in.readAllBytes();

            // then
            assertThat(read).isEqualTo(CONTENT);
            assertThat(in.size()).isEqualTo(5);
            assertThat(in.digestAlgorithms()).isEqualTo(digests);
            assertThat(in.sha256Hex()).isEqualTo(digests.contains("SHA-256") ? SHA256 : null);
        }
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("SHA-256 stated, store ETag of the corrupted bytes", metadata(5, null, SHA256), "other",
                        "SHA-256"),
                Arguments.of("SHA-256 and ETag stated, store ETag still the original", metadata(5, MD5, SHA256), MD5,
                        "SHA-256"),
                Arguments.of("SHA-256 stated, size unknown", metadata(0, null, SHA256), null, "SHA-256"),
                Arguments.of("single-part ETag, the store reports another", metadata(5, MD5, null),
                        "0123456789abcdef0123456789abcdef", "ETag"),
                Arguments.of("single-part ETag, no store ETag", metadata(5, MD5, null), null, "ETag"),
                Arguments.of("multipart ETag, the store reports another", metadata(5, "abc-2", null), "abd-2",
                        "ETag"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void shouldFailAtTheEndOfACorruptedBlob(String name, FileMetadata expected, String storeEtag, String fact) {
        // given
        VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(CORRUPTED), expected, storeEtag);

        // when / then
        assertThatThrownBy(in::readAllBytes).isInstanceOf(RxonIntegrityException.class)
                .hasMessageContaining(fact)
                .satisfies(e -> assertThat(((RxonIntegrityException) e).code())
                        .isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR));
    }

    @Test
    void shouldFailOnASizeOtherThanStatedWithoutAnyDigest() {
        // given: metadata with a size only, so nothing is hashed
        VerifyingInputStream longer = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), metadata(4, null,
                null), null);
        VerifyingInputStream shorter = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), metadata(6, null,
                null), null);

        // when / then: a longer blob fails as soon as it exceeds the size, a shorter one at its end
        assertThat(longer.digestAlgorithms()).isEmpty();
        assertThatThrownBy(longer::readAllBytes).isInstanceOf(RxonIntegrityException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(shorter::readAllBytes).isInstanceOf(RxonIntegrityException.class)
                .hasMessageContaining("is 5 bytes, expected 6");
    }

    @Test
    void shouldTakeTheStoreEtagFromAnOpenBlob() {
        // given: a blob whose store reports an ETag other than the expected one
        BlobStream blob = new BlobStream(new ByteArrayInputStream(CONTENT), new BlobInfo(5, "0123456789abcdef0123"
                + "456789abcdef", null));

        // when
        VerifyingInputStream in = VerifyingInputStream.of(blob, metadata(5, MD5, null));

        // then: the store's ETag is compared, so no MD5 is computed, and the mismatch is reported
        assertThat(in.digestAlgorithms()).isEmpty();
        assertThatThrownBy(in::readAllBytes).isInstanceOf(RxonIntegrityException.class).hasMessageContaining("ETag");
    }
}
