package io.rxon.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every setting of the orchestrator, under {@code rxon.orchestrator}. */
@ConfigMapping(prefix = "rxon.orchestrator")
public interface OrchestratorConfig {

    /** Directory for the embedded database, generated tokens and local blobs ({@code RXON_DATA_DIR}). */
    @WithDefault("./data")
    Path dataDir();

    /**
     * The global worker token ({@code RXON_WORKER_TOKEN}); any worker presenting it may act under the
     * id it names. Generated, stored under the data directory and printed once when empty.
     */
    Optional<String> workerToken();

    /** Per-worker tokens (worker id to token); they take precedence over the global token for that id. */
    Map<String, String> workerTokens();

    /**
     * The same as {@link #workerTokens()} in one environment-friendly value, {@code RXON_WORKER_TOKENS}:
     * {@code id1:token1,id2:token2}.
     */
    Optional<String> workerTokenList();

    /** The default client's token ({@code RXON_CLIENT_TOKEN}); generated like the worker token when empty. */
    Optional<String> clientToken();

    /** Further API clients: client id to token. Each client sees only its own jobs. */
    Map<String, String> clients();

    /** The same as {@link #clients()} in one value, {@code RXON_CLIENTS}: {@code alice:token1,bob:token2}. */
    Optional<String> clientList();

    /** Parses {@code id:token,id:token} (whitespace around entries ignored) into a map. */
    static Map<String, String> parsePairs(Optional<String> list, String name) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String entry : list.orElse("").split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException(name + " entries must look like id:token");
            }
            pairs.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
        }
        return pairs;
    }

    /** How often queue-depth gauges are refreshed from the database. */
    @WithDefault("5s")
    Duration metricsInterval();

    /** Timing of the worker protocol. */
    Timing timing();

    /** Defaults for submitted jobs. */
    Jobs jobs();

    /** Delivery of job events to clients' webhook URLs. */
    Webhooks webhooks();

    interface Webhooks {
        /** Attempts per webhook call (the first included); 2xx counts as delivered. */
        @WithDefault("3")
        int attempts();

        /** Wait before the second attempt; doubles for each further one. */
        @WithDefault("2s")
        Duration backoff();

        /** Timeout of one call. */
        @WithDefault("10s")
        Duration timeout();

        /** Calls waiting to be sent; more are dropped (and logged) rather than exhausting memory. */
        @WithDefault("1000")
        int queueSize();

        /** Calls in flight at once. */
        @WithDefault("5")
        int concurrency();
    }

    interface Timing {
        /** Longest a long-poll is parked before answering 204; a worker's shorter timeout wins. */
        @WithDefault("30s")
        Duration pollTimeout();

        /** A worker silent for this long is considered gone and loses its tasks' leases. */
        @WithDefault("30s")
        Duration livenessTimeout();

        /** How often expired leases and job deadlines are swept. */
        @WithDefault("1s")
        Duration sweepInterval();
    }

    interface Jobs {
        /** Attempts per job when the client does not say (the first run counts). */
        @WithDefault("3")
        int maxAttempts();

        /** Upper bound for a client's max_attempts. */
        @WithDefault("20")
        int maxAttemptsLimit();
    }
}
