package io.rxon.blob.s3;

import io.rxon.common.blob.BlobUnavailableException;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the SDK throws, once its bounded retries are spent, into RXON failures
 * (docs/BLOBS.md, "Errors"): a missing object or bucket is {@code DEPENDENCY_MISSING_ERROR}
 * (retried), refused credentials or a malformed request are {@code DEPENDENCY_ERROR} (a
 * configuration fault: quarantined, retrying cannot help), and an unreachable, failing, throttling
 * or stalled store is a {@link BlobUnavailableException} ({@code TRANSIENT_ERROR}: retried later).
 */
final class S3Errors {

    private S3Errors() {}

    static RuntimeException translate(Throwable thrown, String action) {
        Throwable error = unwrap(thrown);
        if (error instanceof RxonException rxon) {
            return rxon;
        }
        if (error instanceof S3Exception s3) {
            int status = s3.statusCode();
            String detail = s3.awsErrorDetails() == null ? s3.getMessage() : s3.awsErrorDetails().errorCode();
            if (status == 404) {
                return new RxonException(action + ": not found (" + detail + ")", ErrorCode.DEPENDENCY_MISSING_ERROR,
                        status, s3);
            }
            if (status == 429 || status >= 500) {
                return new BlobUnavailableException(action + ": S3 answered " + status + " (" + detail + ")", s3);
            }
            return new RxonException(action + ": S3 refused with " + status + " (" + detail
                    + "); check the bucket, credentials and endpoint", ErrorCode.DEPENDENCY_ERROR, status, s3);
        }
        if (error instanceof SdkClientException || error instanceof IOException
                || error instanceof UncheckedIOException) {
            return new BlobUnavailableException(action + ": S3 unreachable (" + error.getMessage() + ")", error);
        }
        return new RxonException(action + " failed: " + error, ErrorCode.INTERNAL_ERROR, 0, error);
    }

    static boolean isNotFound(Throwable thrown) {
        return unwrap(thrown) instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    static Throwable unwrap(Throwable thrown) {
        Throwable error = thrown;
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }
}
