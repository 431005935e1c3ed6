package io.rxon.blob.s3;

import io.rxon.common.blob.BlobUri;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned URLs, so that clients move large payloads straight to and from S3 and never through the
 * orchestrator. A PUT URL may pin the content length and type: S3 then refuses a different body
 * (the size limit holds even though the orchestrator never sees the bytes).
 */
public final class S3BlobPresigner implements AutoCloseable {

    /** A URL with the headers the caller must send exactly as given, and its expiry. */
    public record PresignedUrl(URL url, String method, Map<String, String> headers, Instant expiresAt) {}

    private final S3Presigner presigner;

    public S3BlobPresigner(S3Settings settings) {
        this.presigner = S3Clients.presigner(settings);
    }

    /**
     * @param contentLength pinned when not null
     * @param contentType pinned when not null
     */
    public PresignedUrl put(BlobUri target, Duration lifetime, Long contentLength, String contentType) {
        var signed = presigner.presignPutObject(presign -> presign.signatureDuration(lifetime)
                .putObjectRequest(put -> put.bucket(target.bucket()).key(target.key())
                        .contentLength(contentLength).contentType(contentType)));
        return presigned(signed, "PUT");
    }

    /** @param downloadName when not null, browsers save the object under this name */
    public PresignedUrl get(BlobUri source, Duration lifetime, String downloadName) {
        var signed = presigner.presignGetObject(presign -> presign.signatureDuration(lifetime)
                .getObjectRequest(get -> get.bucket(source.bucket()).key(source.key())
                        .responseContentDisposition(downloadName == null ? null
                                : "attachment; filename=\"" + downloadName.replace("\"", "") + "\"")));
        return presigned(signed, "GET");
    }

    private static PresignedUrl presigned(PresignedRequest signed, String method) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : signed.signedHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                headers.put(header.getKey(), String.join(",", header.getValue()));
            }
        }
        return new PresignedUrl(signed.url(), method, headers, signed.expiration());
    }

    @Override
    public void close() {
        presigner.close();
    }
}
