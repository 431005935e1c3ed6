package io.rxon.orchestrator.error;

import io.rxon.common.blob.BlobUnavailableException;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.error.RxonSecurityException;
import io.rxon.common.protocol.ErrorCode;

/**
 * The one place that maps exceptions to an HTTP status and an RXON error code (PROTOCOL.md §4.2
 * as amended by §11.2): unknown credentials 401, a known identity not allowed or a failed
 * zero-trust check 403, bad input 400, too large 413, rate limit 429, blob store down 503 (refusing
 * 502), database unreachable 503 (both {@code DEPENDENCY_ERROR}, with {@code Retry-After}), an
 * unconfigured feature 501, everything unexpected 500.
 */
public final class ErrorCatalog {

    private ErrorCatalog() {}

    /** How one failure is reported. */
    public record Entry(int status, ErrorCode code, String title) {}

    public static Entry of(Throwable error) {
        if (error instanceof UnauthenticatedException) {
            return new Entry(401, ErrorCode.SECURITY_ERROR, "Unauthorized");
        }
        if (error instanceof ForbiddenActionException || error instanceof RxonSecurityException) {
            return new Entry(403, ErrorCode.SECURITY_ERROR, "Forbidden");
        }
        if (error instanceof ResourceNotFoundException) {
            // What the request refers to does not exist (or is not the caller's): a missing dependency, not bad input.
            return new Entry(404, ErrorCode.DEPENDENCY_MISSING_ERROR, "Not Found");
        }
        if (error instanceof ConflictException) {
            return new Entry(409, ErrorCode.INVALID_INPUT_ERROR, "Conflict");
        }
        if (error instanceof PayloadTooLargeException) {
            return new Entry(413, ErrorCode.LIMIT_EXCEEDED_ERROR, "Content Too Large");
        }
        if (error instanceof NotConfiguredException) {
            return new Entry(501, ErrorCode.DEPENDENCY_MISSING_ERROR, "Not Implemented");
        }
        // Blob store failures (docs/BLOBS.md, "Errors"): an outage is 503, a refusal by the store 502.
        if (error instanceof BlobUnavailableException) {
            return new Entry(503, ErrorCode.DEPENDENCY_ERROR, "Service Unavailable");
        }
        // The database is down, frozen or restarting: nothing is wrong with the request; retry later.
        if (DatabaseUnavailable.causedBy(error)) {
            return new Entry(503, ErrorCode.DEPENDENCY_ERROR, "Service Unavailable");
        }
        if (error instanceof RxonException rxon && rxon.code() == ErrorCode.DEPENDENCY_ERROR) {
            return new Entry(502, ErrorCode.DEPENDENCY_ERROR, "Bad Gateway");
        }
        if (error instanceof RxonRateLimitException) {
            return new Entry(429, ErrorCode.LIMIT_EXCEEDED_ERROR, "Too Many Requests");
        }
        if (error instanceof InvalidRequestException || error instanceof IllegalArgumentException) {
            return new Entry(400, ErrorCode.INVALID_INPUT_ERROR, "Bad Request");
        }
        if (error instanceof RxonException rxon) {
            return new Entry(500, rxon.code(), "Internal Server Error");
        }
        return new Entry(500, ErrorCode.INTERNAL_ERROR, "Internal Server Error");
    }

    /** Whether the message is safe to show: ours are, unexpected ones may leak internals. */
    public static String publicMessage(Throwable error, Entry entry) {
        if (entry.status() == 503 && !(error instanceof RxonException)) {
            return "the database is unavailable; retry later";
        }
        return entry.status() == 500 && !(error instanceof RxonException)
                ? "internal error; see the orchestrator log"
                : error.getMessage();
    }
}
