package io.rxon.common.blob;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;

/**
 * The blob store could not be reached or kept failing (connection refused, timeouts, 5xx,
 * throttling) after the store's bounded retries. It carries {@code TRANSIENT_ERROR}, not
 * {@code DEPENDENCY_ERROR}: PROTOCOL.md §7 quarantines a job at once for the latter, and an S3
 * outage is exactly the kind of failure a later attempt survives (docs/BLOBS.md, "Errors"). The
 * orchestrator's client API answers it with 503 and the code {@code DEPENDENCY_ERROR}.
 */
public class BlobUnavailableException extends RxonException {

    private static final long serialVersionUID = 1L;

    public BlobUnavailableException(String message, Throwable cause) {
        super(message, ErrorCode.TRANSIENT_ERROR, 0, cause);
    }
}
