package io.rxon.common.error;

import io.rxon.common.protocol.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/** HTTP 429: the caller must wait {@link #retryAfter()} (when the server said) before trying again. */
public class RxonRateLimitException extends RxonProtocolException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;
    private final String wireCode;

    public RxonRateLimitException(String message, Duration retryAfter, String wireCode) {
        super(message, ErrorCode.LIMIT_EXCEEDED_ERROR, 429, null);
        this.retryAfter = retryAfter;
        this.wireCode = wireCode == null ? ErrorCode.LIMIT_EXCEEDED_ERROR.name() : wireCode;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The {@code code} of the error body; {@code LIMIT_EXCEEDED_ERROR} when the server gave none. */
    public String wireCode() {
        return wireCode;
    }
}
