package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Integrity information for a blob referenced from params or data: its {@code s3://} URI, size,
 * ETag and free metadata (rxon-java puts {@code sha256} there).
 */
@WireMessage
public record FileMetadata(
        String uri, @JsonInclude(JsonInclude.Include.NON_DEFAULT) long size, String etag, Map<String, Object> metadata) {

    public FileMetadata {
        Wire.required(uri, "uri");
        metadata = Wire.map(metadata);
    }

    /** The {@code sha256} hex digest from {@link #metadata()}, if present. */
    public String sha256() {
        return metadata != null && metadata.get("sha256") instanceof String s ? s : null;
    }
}
