package io.rxon.blob.s3;

import io.rxon.common.blob.S3ConfigHash;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach an S3-compatible store: AWS S3 (no endpoint, virtual-host addressing) or
 * MinIO, Ceph, s3proxy… (an endpoint, usually path-style). Credentials come from the access and
 * secret key when both are set, else from the AWS default provider chain (environment, profile,
 * web identity / IRSA, container or instance role).
 *
 * @param endpoint the S3 API endpoint; empty means AWS S3 in {@code region}
 * @param presignEndpoint the endpoint written into presigned URLs when clients reach the store under
 *     another name than the services do (e.g. an ingress in front of MinIO); default: {@code endpoint}
 * @param partSize multipart part size in bytes, also the single-request threshold (S3's minimum: 5 MiB)
 * @param maxAttempts attempts per S3 call (the first included), with jittered exponential backoff
 * @param connectTimeout establishing a connection
 * @param readTimeout longest silence while waiting for bytes: a stalled store fails after this
 * @param maxConnections connections to the store at once
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        String bucket,
        boolean pathStyle,
        Optional<String> accessKey,
        Optional<String> secretKey,
        Optional<URI> presignEndpoint,
        int partSize,
        int maxAttempts,
        Duration connectTimeout,
        Duration readTimeout,
        int maxConnections) {

    /** The smallest part S3 accepts (except the last one). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(presignEndpoint, "presignEndpoint");
        region = region == null || region.isBlank() ? "us-east-1" : region;
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket is required (RXON_S3_BUCKET)");
        }
        accessKey = accessKey.filter(value -> !value.isBlank());
        secretKey = secretKey.filter(value -> !value.isBlank());
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("set both RXON_S3_ACCESS_KEY and RXON_S3_SECRET_KEY, or neither "
                    + "(then the AWS default credentials chain is used)");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, not " + partSize + " bytes");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("S3 max attempts must be at least 1");
        }
    }

    /** Settings for an S3-compatible endpoint with static credentials and the defaults for the rest. */
    public static S3Settings of(URI endpoint, String bucket, String accessKey, String secretKey) {
        return new S3Settings(Optional.of(endpoint), "us-east-1", bucket, true, Optional.of(accessKey),
                Optional.of(secretKey), Optional.empty(), DEFAULT_PART_SIZE, 3, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 50);
    }

    public S3Settings withBucket(String newBucket) {
        return new S3Settings(endpoint, region, newBucket, pathStyle, accessKey, secretKey, presignEndpoint, partSize,
                maxAttempts, connectTimeout, readTimeout, maxConnections);
    }

    public S3Settings withEndpoint(URI newEndpoint) {
        return new S3Settings(Optional.of(newEndpoint), region, bucket, pathStyle, accessKey, secretKey,
                presignEndpoint, partSize, maxAttempts, connectTimeout, readTimeout, maxConnections);
    }

    public S3Settings withRetries(int attempts, Duration newReadTimeout) {
        return new S3Settings(endpoint, region, bucket, pathStyle, accessKey, secretKey, presignEndpoint, partSize,
                attempts, connectTimeout, newReadTimeout, maxConnections);
    }

    /**
     * The {@code s3_config_hash} fingerprint (PROTOCOL.md §8) of endpoint, access key and bucket; empty
     * when one of them is unknown (AWS without an explicit endpoint, or credentials from the chain).
     */
    public Optional<String> configHash() {
        return S3ConfigHash.calculate(endpoint.map(URI::toString).orElse(null), accessKey.orElse(null), bucket);
    }
}
