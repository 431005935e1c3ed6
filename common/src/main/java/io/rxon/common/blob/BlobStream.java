package io.rxon.common.blob;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * An open blob: its content as a stream plus what the store said about it when it answered
 * (size, ETag), so a reader can verify integrity without a second request.
 */
public class BlobStream extends FilterInputStream {

    private final BlobInfo info;

    public BlobStream(InputStream content, BlobInfo info) {
        super(content);
        this.info = info;
    }

    /** Size, ETag and content type as reported by the store. */
    public BlobInfo info() {
        return info;
    }
}
