package io.rxon.blob.s3;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * S3-compatible blob storage as both services configure it ({@code RXON_S3_*}, docs/BLOBS.md): the
 * one definition of the keys, their defaults and their meaning, nested in the orchestrator's and
 * the worker's config mapping ({@code rxon.orchestrator.s3}, {@code rxon.worker.s3}). On as soon as
 * an endpoint or a bucket is set; endpoint, access key and bucket also give the {@code s3_config_hash}.
 */
public interface S3Config {

    /** S3 API endpoint ({@code RXON_S3_ENDPOINT}), e.g. MinIO's; empty means AWS S3 in {@link #region()}. */
    Optional<URI> endpoint();

    /** Region ({@code RXON_S3_REGION}); MinIO and most S3-compatible servers accept the default. */
    @WithDefault("us-east-1")
    String region();

    /** The bucket of all blobs ({@code RXON_S3_BUCKET}); it must exist. Workers write outputs under {@code jobs/<job_id>/}. */
    Optional<String> bucket();

    /** Path-style addressing ({@code RXON_S3_PATH_STYLE}); default: on with an endpoint, off for AWS. */
    Optional<Boolean> pathStyle();

    /** Access key id ({@code RXON_S3_ACCESS_KEY}); without it the AWS default credentials chain is used. */
    Optional<String> accessKey();

    /** Secret access key ({@code RXON_S3_SECRET_KEY}); from a Kubernetes Secret, never a file in the image. */
    Optional<String> secretKey();

    /** Multipart part size and single-PUT threshold (at least 5M); also the upload buffer per running upload. */
    @WithDefault("8M")
    MemorySize partSize();

    /** Attempts per S3 call (the first included) before the store counts as unavailable. */
    @WithDefault("3")
    int maxAttempts();

    /** Timeout of establishing a connection to the store. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for the next bytes from the store: a stalled store fails after it. */
    @WithDefault("30s")
    Duration readTimeout();

    /**
     * The store's settings, the same for both services so that both compute the same config hash;
     * empty when neither an endpoint nor a bucket is set (blobs stay local).
     *
     * @param presignEndpoint the endpoint written into presigned URLs (only the orchestrator presigns)
     * @param service who needs the bucket, for the message when only an endpoint is set
     */
    static Optional<S3Settings> settings(S3Config s3, Optional<URI> presignEndpoint, String service) {
        boolean bucket = s3.bucket().filter(b -> !b.isBlank()).isPresent();
        if (s3.endpoint().isEmpty() && !bucket) {
            return Optional.empty();
        }
        if (!bucket) {
            throw new IllegalArgumentException("RXON_S3_ENDPOINT is set but RXON_S3_BUCKET is not: " + service);
        }
        return Optional.of(new S3Settings(s3.endpoint(), s3.region(), s3.bucket().get(),
                s3.pathStyle().orElse(s3.endpoint().isPresent()), s3.accessKey(), s3.secretKey(), presignEndpoint,
                (int) s3.partSize().asLongValue(), s3.maxAttempts(), s3.connectTimeout(), s3.readTimeout(), 50));
    }
}
