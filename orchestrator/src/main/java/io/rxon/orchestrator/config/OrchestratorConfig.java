package io.rxon.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import io.quarkus.runtime.configuration.MemorySize;
import io.rxon.blob.s3.S3Config;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * When set ({@code RXON_TASK_SIGNING_KEY}), every task handed to a worker carries the
     * orchestrator's HMAC signature ({@code sig}); workers configured with the same key
     * ({@code RXON_ORCHESTRATOR_SECRET_KEY}) refuse tasks that lack it or do not match.
     */
    Optional<String> taskSigningKey();

    /** Authentication of workers and clients. */
    Auth auth();

    interface Auth {
        /** {@code static} (tokens), {@code oidc} (Keycloak bearer tokens) or {@code mixed} ({@code RXON_AUTH_MODE}). */
        @WithDefault("static")
        AuthMode mode();

        /** Static clients that also hold the admin role (the embedded default's single user). */
        @WithDefault("default")
        List<String> adminClients();
    }

    /** Requests allowed per identity and action in each window; more are answered 429 with Retry-After. */
    RateLimits rateLimits();

    interface RateLimits {
        /** Off only for benchmarks on a trusted network. */
        @WithDefault("true")
        boolean enabled();

        /** The counting window. */
        @WithDefault("60s")
        Duration window();

        /** Registrations per worker (a registration storm is a bug or an attack). */
        @WithDefault("60")
        int register();

        /** Polls per worker (a long-poll lasts up to the poll timeout, so honest workers poll rarely). */
        @WithDefault("6000")
        int poll();

        /** Heartbeats per worker. */
        @WithDefault("600")
        int heartbeat();

        /** Results and events per worker (high: a busy worker reports thousands of tasks a minute). */
        @WithDefault("120000")
        int report();

        /** Client API calls per client. */
        @WithDefault("60000")
        int api();
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

    /** How the orchestrator bounds and survives the loss of its database. */
    Database database();

    /** Job events on a Kafka topic (off unless {@code RXON_KAFKA_BOOTSTRAP_SERVERS} is set). */
    Kafka kafka();

    interface Kafka {
        /**
         * The brokers ({@code RXON_KAFKA_BOOTSTRAP_SERVERS}, {@code host:port,host:port}). Set, every
         * committed job event is relayed from the database to {@link #topic()} and every replica's SSE
         * streams and webhooks are fed from that topic; unset, nothing connects to Kafka and events
         * reach the other replicas through PostgreSQL. Client security settings (SASL, TLS) are
         * {@code KAFKA_*} environment variables, e.g. {@code KAFKA_SECURITY_PROTOCOL}.
         */
        Optional<String> bootstrapServers();

        /**
         * The topic ({@code RXON_KAFKA_TOPIC}); record key = job id (so a job's events keep their
         * order), value = JSON {@code {"event", "job_id", "client_id", "time"}}.
         */
        @WithDefault("rxon.job-events")
        String topic();

        /** How often the relaying replica looks for newly stored events (a full batch goes on at once). */
        @WithDefault("100ms")
        Duration relayInterval();

        /** Events read and sent per relay round (at most 1000). */
        @WithDefault("500")
        int relayBatch();

        /**
         * How long the relay's lease lasts unrenewed: one replica relays at a time, and another takes
         * over at most this long after it stopped.
         */
        @WithDefault("10s")
        Duration relayLease();

        /**
         * How long a missing event number (a transaction that took it but had not committed when
         * later ones had) is waited for before it counts as rolled back. A transaction committing
         * later than this after storing its event would not be relayed.
         */
        @WithDefault("60s")
        Duration gapTimeout();

        /** The consumer group of webhook delivery ({@code RXON_KAFKA_WEBHOOK_GROUP}): one call per event cluster-wide. */
        @WithDefault("rxon-webhooks")
        String webhookGroup();
    }

    interface Database {
        /** Longest wait for a new TCP connection to PostgreSQL. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Longest a request waits for a free pooled connection; then it is answered 503 with
         * {@code Retry-After} instead of queueing behind a database that does not answer.
         */
        @WithDefault("3s")
        Duration acquireTimeout();

        /** Budget of the readiness check's {@code SELECT 1}; past it the database counts as down. */
        @WithDefault("500ms")
        Duration readinessTimeout();

        /**
         * How long the embedded PostgreSQL may stay down while it is being restarted before liveness
         * fails (so that Kubernetes restarts the pod). Does not apply to an external database, to
         * which the orchestrator reconnects by itself whenever it is back.
         */
        @WithDefault("2m")
        Duration embeddedRecoveryLimit();

        /**
         * Whether a claim (a task handed to a worker) waits for its WAL flush before the task is
         * sent ({@code RXON_ORCHESTRATOR_DATABASE_DURABLE_CLAIMS}). Off, a database crash can undo
         * the claims of its last moments: those tasks are pending again and dispatched again, as
         * after a lost worker. Submissions, results and cancellations always wait for the flush.
         */
        @WithDefault("false")
        boolean durableClaims();
    }

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

        /**
         * Internal receivers webhooks may reach ({@code RXON_WEBHOOK_ALLOWED_HOSTS}): host names,
         * {@code *.domain}, IP addresses and CIDR ranges. Everything else on loopback, link-local,
         * private, shared (100.64/10), unique-local, unspecified, multicast or reserved addresses is
         * refused at submit and at delivery; the http(s)-only and no-credentials rules always hold.
         */
        Optional<List<String>> allowedHosts();

        /**
         * The HMAC-SHA256 key that signs every webhook body ({@code RXON_WEBHOOK_SECRET}); generated
         * and stored under the data directory when empty (its value is not logged). Set it when
         * several orchestrators share a database, so that all sign alike.
         */
        Optional<String> secret();
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

        /** How often the other orchestrators on the database are counted: they are notified only while there are any. */
        @WithDefault("5s")
        Duration peerCheckInterval();

        /**
         * How often the liveness, status and usage heartbeats reported are written to the database,
         * for all workers in one statement (the in-memory registry has them at once).
         */
        @WithDefault("1s")
        Duration heartbeatFlushInterval();

        /**
         * How long a worker's claim that found nothing is trusted: until then its next poll or
         * credit parks without a database query when no task of its skills was offered since.
         * The safety net for a task that becomes claimable without an offer (a notification from
         * another orchestrator lost in a crash); zero always queries. Longer than several poll
         * windows, so that an idle long-poll worker's re-polls mostly skip the database.
         */
        @WithDefault("2m")
        Duration emptyClaimTrust();
    }

    interface Jobs {
        /** Attempts per job when the client does not say (the first run counts). */
        @WithDefault("3")
        int maxAttempts();

        /** Upper bound for a client's max_attempts. */
        @WithDefault("20")
        int maxAttemptsLimit();

        /**
         * How long a finished, failed, cancelled or quarantined job is kept after it ended, with its
         * tasks and events ({@code RXON_JOB_RETENTION}); zero keeps every job forever. A job whose
         * blobs are still kept ({@link Blob#retention()}) stays until they are deleted.
         */
        @WithDefault("7d")
        Duration retention();

        /** Jobs deleted per statement ({@code RXON_JOB_RETENTION_BATCH_SIZE}): each statement holds its rows' locks briefly. */
        @WithDefault("500")
        int retentionBatchSize();

        /** How often expired jobs are looked for ({@code RXON_JOB_RETENTION_INTERVAL}); a round deletes all that are due. */
        @WithDefault("10m")
        Duration retentionInterval();

        /** Pause between two statements of a round ({@code RXON_JOB_RETENTION_PAUSE}), so a large backlog never keeps the database busy. */
        @WithDefault("200ms")
        Duration retentionPause();
    }

    /** The web console under {@code /console} (docs/CONSOLE.md). */
    Console console();

    /** Workflows: multi-step jobs in the Serverless Workflow DSL (docs/WORKFLOWS.md). */
    Workflows workflows();

    interface Workflows {
        /**
         * A directory of definitions ({@code *.yaml}, {@code *.yml}, {@code *.json}) registered at start
         * ({@code RXON_WORKFLOWS_DIR}); one that is invalid is logged and skipped.
         */
        Optional<Path> dir();

        /** Tasks one workflow job may run in all, loops included ({@code RXON_WORKFLOW_TRANSITION_LIMIT}): a runaway guard. */
        @WithDefault("1000")
        int transitionLimit();

        /** How often due timers ({@code wait}) and sub-workflows to start are looked for ({@code RXON_WORKFLOW_TICK_INTERVAL}). */
        @WithDefault("1s")
        Duration tickInterval();
    }

    interface Console {
        /** Serves the console ({@code RXON_CONSOLE_ENABLED}); when off, everything under {@code /console} is 404. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The HMAC key that signs console session cookies ({@code RXON_CONSOLE_SESSION_SECRET});
         * generated and stored under the data directory when empty. Set the same value on every
         * orchestrator behind one address, so that a session started on one is valid on all.
         */
        Optional<String> sessionSecret();

        /** How long a console login lasts; then the user logs in again. */
        @WithDefault("8h")
        Duration sessionTimeout();

        /** How often queue depth and dispatch latency are sampled for the charts; the last hour is kept. */
        @WithDefault("10s")
        Duration sampleInterval();

        /** Jobs per page of the jobs list. */
        @WithDefault("25")
        int pageSize();
    }

    // ## Holarchy (docs/HOLARCHY.md)

    /** The parent orchestrator this one serves as a worker; none unless {@code RXON_PARENT_URL} is set. */
    Parent parent();

    /** The client API ({@code /api/v1/jobs}, uploads, the console's submit form). */
    ClientApi clientApi();

    /** The uplink to a parent orchestrator and the limits on tasks that come down a holarchy. */
    interface Parent {
        /**
         * The parent's address ({@code RXON_PARENT_URL}): {@code http(s)://} or {@code ws(s)://}, as a
         * worker's orchestrator URL. Unset: this orchestrator has no parent.
         */
        Optional<String> url();

        /**
         * This orchestrator's worker id at the parent ({@code RXON_PARENT_WORKER_ID}), also its name in
         * the identity chains of the tasks it passes down (loop detection). Required with a URL.
         */
        Optional<String> workerId();

        /** The token this orchestrator presents to the parent ({@code RXON_PARENT_TOKEN}); it also signs with it. */
        Optional<String> token();

        /** OIDC token endpoint for a client-credentials identity at the parent ({@code RXON_PARENT_OIDC_TOKEN_URL}). */
        Optional<URI> oidcTokenUrl();

        /** OIDC client id ({@code RXON_PARENT_OIDC_CLIENT_ID}); used with {@link #oidcTokenUrl()}. */
        Optional<String> oidcClientId();

        /** OIDC client secret ({@code RXON_PARENT_OIDC_CLIENT_SECRET}). */
        Optional<String> oidcClientSecret();

        /** Parent tasks held at once ({@code RXON_PARENT_MAX_TASKS}); polling pauses while this many run here. */
        @WithDefault("16")
        int maxTasks();

        /** How often the parent hears from this orchestrator ({@code RXON_PARENT_HEARTBEAT_INTERVAL}). */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** The long-poll window asked of the parent ({@code RXON_PARENT_POLL_TIMEOUT}). */
        @WithDefault("20s")
        Duration pollTimeout();

        /**
         * The deepest task accepted from a parent ({@code RXON_HOLARCHY_MAX_DEPTH}): a task whose
         * {@code depth} exceeds it is refused with {@code PERMANENT_ERROR}, so a misconfigured chain
         * of orchestrators ends instead of growing.
         */
        @WithDefault("8")
        int maxDepth();
    }

    /** Pure holon mode switches the client API off. */
    interface ClientApi {
        /**
         * Serves the client API ({@code RXON_CLIENT_API_ENABLED}); when off (pure holon mode) job
         * submission, job reads and uploads answer 403 and the orchestrator serves only its parent.
         */
        @WithDefault("true")
        boolean enabled();
    }

    // ## Blobs (docs/BLOBS.md)

    /** S3-compatible blob storage; on as soon as an endpoint or a bucket is set, else blobs stay local. */
    S3 s3();

    /** Presigned URLs, automatic offload of large params (claim check) and clean-up of job blobs. */
    Blob blob();

    /** S3-compatible blob storage ({@code RXON_S3_*}): the keys both services share, and presigning. */
    interface S3 extends S3Config {
        /** Endpoint written into presigned URLs when clients reach the store under another name; default: the endpoint. */
        Optional<URI> presignEndpoint();
    }

    /** Presigned URLs, claim check and clean-up. */
    interface Blob {
        /** Params whose JSON is larger than this travel as a blob reference (only with S3). */
        @WithDefault("256K")
        MemorySize offloadThreshold();

        /** Lifetime of presigned upload (PUT) URLs, in minutes. */
        @WithDefault("15")
        int uploadUrlMinutes();

        /** Lifetime of presigned download (GET) URLs, in minutes. */
        @WithDefault("60")
        int downloadUrlMinutes();

        /** Largest blob a client may upload or reference (S3's single-PUT limit is 5G). */
        @WithDefault("5G")
        MemorySize maxUploadSize();

        /** How long a terminal job's blobs ({@code jobs/<job_id>/}) are kept before they are deleted. */
        @WithDefault("24h")
        Duration retention();

        /** How long an upload no job refers to ({@code jobs/<upload_id>/}) is kept. */
        @WithDefault("24h")
        Duration uploadRetention();

        /** How often expired job and upload blobs are looked for. */
        @WithDefault("5m")
        Duration cleanupInterval();

        /** Bucket name of the local directory store (the embedded default without S3). */
        @WithDefault("rxon")
        String localBucket();
    }
}
