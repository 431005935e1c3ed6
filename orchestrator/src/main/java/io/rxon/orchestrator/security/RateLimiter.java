package io.rxon.orchestrator.security;

import io.rxon.common.error.RxonRateLimitException;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per identity and action request limits (fixed windows, per orchestrator instance): over the
 * limit a request is refused with 429 and a {@code Retry-After} of the time left in the window.
 */
@ApplicationScoped
public class RateLimiter {

    /** What is being limited, with its allowance. */
    public enum Action {
        REGISTER, POLL, HEARTBEAT, REPORT, API
    }

    private static final int MAX_TRACKED = 200_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final OrchestratorConfig.RateLimits limits;
    private final Clock clock;

    private record Window(long start, int count) {}

    public RateLimiter(OrchestratorConfig config, Clock clock) {
        this.limits = config.rateLimits();
        this.clock = clock;
    }

    /**
     * Counts one request.
     *
     * @throws RxonRateLimitException when the identity exceeded the action's allowance
     */
    public void check(String identity, Action action) {
        if (!limits.enabled()) {
            return;
        }
        long now = clock.millis();
        long length = limits.window().toMillis();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(window -> now - window.start() >= length);
        }
        Window window = windows.merge(action + ":" + identity, new Window(now, 1), (old, fresh) ->
                now - old.start() >= length ? fresh : new Window(old.start(), old.count() + 1));
        if (window.count() > allowance(action)) {
            Duration retryAfter = Duration.ofMillis(Math.max(1000, window.start() + length - now));
            throw new RxonRateLimitException("Rate limit of " + allowance(action) + " " + action.name().toLowerCase()
                    + " requests per " + limits.window().toSeconds() + " s exceeded for '" + identity + "'",
                    retryAfter, null);
        }
    }

    private int allowance(Action action) {
        return switch (action) {
            case REGISTER -> limits.register();
            case POLL -> limits.poll();
            case HEARTBEAT -> limits.heartbeat();
            case REPORT -> limits.report();
            case API -> limits.api();
        };
    }
}
