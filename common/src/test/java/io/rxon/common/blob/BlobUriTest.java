package io.rxon.common.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobUriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "s3://bucket/a/b.bin,  bucket, a/b.bin, false",
        "s3://bucket/dir/,     bucket, dir/,    true",
        "s3://bucket,          bucket, '',      true",
        "s3://bucket/,         bucket, '',      true",
    })
    void shouldParseS3Uris(String uri, String bucket, String key, boolean directory) {
        BlobUri parsed = BlobUri.parse(uri);

        assertThat(parsed.bucket()).isEqualTo(bucket);
        assertThat(parsed.key()).isEqualTo(key);
        assertThat(parsed.directory()).isEqualTo(directory);
    }

    @ParameterizedTest(name = "{0} with prefix {1}")
    @CsvSource({
        "file.txt,   '',     file.txt",
        "/file.txt,  '',     file.txt",
        "//a/b,      jobs/,  jobs/a/b",
        "a/b,        jobs,   jobs/a/b",
    })
    void shouldResolveRelativeKeysInTheDefaultBucket(String uri, String prefix, String key) {
        BlobUri parsed = BlobUri.parse(uri, "payloads", prefix);

        assertThat(parsed.bucket()).isEqualTo("payloads");
        assertThat(parsed.key()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/key", "http://host/x"})
    void shouldRejectNonS3StringsWithoutDefaultBucket(String uri) {
        assertThatThrownBy(() -> BlobUri.parse(uri)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no default bucket");
    }

    @Test
    void shouldRejectEmptyUrisAndMissingBuckets() {
        assertThatThrownBy(() -> BlobUri.parse("", "b", null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BlobUri.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BlobUri.parse("s3:///key")).hasMessageContaining("bucket");
    }

    @Test
    void shouldRecogniseBlobReferencesAndResolveChildren() {
        assertThat(BlobUri.isBlobUri("s3://b/k")).isTrue();
        assertThat(BlobUri.isBlobUri("s3://")).isFalse();
        assertThat(BlobUri.isBlobUri(42)).isFalse();
        assertThat(BlobUri.parse("s3://b/jobs/j1/").resolve("out.bin").toString()).isEqualTo("s3://b/jobs/j1/out.bin");
        assertThat(BlobUri.parse("s3://b/jobs/j1").resolve("/out.bin").toString()).isEqualTo("s3://b/jobs/j1/out.bin");
    }

    @Test
    void shouldFingerprintTheS3ConfigurationLikeTheReference() {
        // sha256("http://s3:9000|AKIA|bucket")[:16], computed with Python's hashlib
        assertThat(S3ConfigHash.calculate("http://s3:9000", "AKIA", "bucket")).hasValue(
                "24f0b5140eb7d24c");
        assertThat(S3ConfigHash.calculate("http://s3:9000", null, "bucket")).isEmpty();
        assertThat(S3ConfigHash.calculate("", "a", "b")).isEmpty();
    }
}
