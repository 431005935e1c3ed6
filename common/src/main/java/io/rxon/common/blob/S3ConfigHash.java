package io.rxon.common.blob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fingerprint of an S3 configuration, {@code sha256(endpoint|access_key|bucket)[:16]}, that workers
 * send in {@code capabilities.s3_config_hash} so both sides can tell they look at the same store
 * without exchanging credentials.
 */
public final class S3ConfigHash {

    private S3ConfigHash() {}

    /** Empty when any part is missing, as the reference returns None. */
    public static Optional<String> calculate(String endpoint, String accessKey, String bucket) {
        if (Stream.of(endpoint, accessKey, bucket).anyMatch(part -> part == null || part.isEmpty())) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((endpoint + "|" + accessKey + "|" + bucket).getBytes(StandardCharsets.UTF_8));
            return Optional.of(HexFormat.of().formatHex(digest).substring(0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
