package io.rxon.orchestrator.job;

import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.WireMessage;
import java.net.URI;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/jobs}. Validated on construction, so a job that is stored is
 * always a job that can run: valid task type, a priority within {@link #PRIORITY_LIMIT}, positive
 * attempts and timeout, an absolute http(s) webhook URL of bounded length.
 */
@WireMessage
public record JobRequest(
        String type,
        Map<String, Object> params,
        Map<String, Object> requirements,
        Double priority,
        Integer timeoutSeconds,
        Integer maxAttempts,
        String webhookUrl,
        SecurityContext security,
        Map<String, Object> metadata) {

    /** Priorities lie within plus or minus this; beyond it ordering means nothing and sums overflow. */
    public static final double PRIORITY_LIMIT = 1_000_000;

    /** Longest webhook URL accepted (the common limit of browsers and proxies). */
    public static final int WEBHOOK_URL_MAX_LENGTH = 2048;

    public JobRequest {
        Identifiers.require(type, "type");
        if (priority != null && !(Double.isFinite(priority) && Math.abs(priority) <= PRIORITY_LIMIT)) {
            throw new IllegalArgumentException("priority must be a number between -1000000 and 1000000");
        }
        if (timeoutSeconds != null && timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeout_seconds must be positive");
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
        if (webhookUrl != null) {
            if (webhookUrl.length() > WEBHOOK_URL_MAX_LENGTH) {
                throw new IllegalArgumentException("webhook_url must be at most " + WEBHOOK_URL_MAX_LENGTH
                        + " characters");
            }
            requireHttpUrl(webhookUrl);
        }
    }

    /** This request with other metadata (the orchestrator adds the job's trace context: tracing/JobTracing). */
    public JobRequest withMetadata(Map<String, Object> newMetadata) {
        return new JobRequest(type, params, requirements, priority, timeoutSeconds, maxAttempts, webhookUrl, security,
                newMetadata);
    }

    private static void requireHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("webhook_url must be an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook_url must be an absolute http(s) URL", e);
        }
    }
}
