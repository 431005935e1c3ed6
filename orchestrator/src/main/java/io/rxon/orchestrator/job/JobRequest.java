package io.rxon.orchestrator.job;

import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.WireMessage;
import java.net.URI;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/jobs}. Validated on construction, so a job that is stored is
 * always a job that can run: valid task type, sane priority, attempts and timeout, absolute
 * http(s) webhook URL.
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

    public JobRequest {
        Identifiers.require(type, "type");
        if (priority != null && !Double.isFinite(priority)) {
            throw new IllegalArgumentException("priority must be a finite number");
        }
        if (timeoutSeconds != null && timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeout_seconds must be positive");
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
        if (webhookUrl != null) {
            requireHttpUrl(webhookUrl);
        }
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
