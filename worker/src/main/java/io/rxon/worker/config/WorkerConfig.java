package io.rxon.worker.config;

import io.rxon.blob.s3.S3Config;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every setting of the worker, under {@code rxon.worker}. The common ones are wired to short
 * environment variables in {@code application.properties}; any key can also be set with the
 * standard MicroProfile mapping ({@code rxon.worker.timing.poll-timeout} =
 * {@code RXON_WORKER_TIMING_POLL_TIMEOUT}).
 */
@ConfigMapping(prefix = "rxon.worker")
public interface WorkerConfig {

    /**
     * The orchestrator ({@code RXON_ORCHESTRATOR_URL}): {@code http(s)://} long-polls;
     * {@code ws(s)://} is the same orchestrator with the socket channel, and push dispatch when the
     * orchestrator consents to it at registration (else long-poll);
     * {@code mock://} an in-memory orchestrator for tests.
     */
    @WithDefault("http://localhost:8080")
    String orchestratorUrl();

    /**
     * Several orchestrators ({@code RXON_ORCHESTRATORS}), a JSON array as the reference's
     * {@code ORCHESTRATORS_CONFIG}: {@code [{"url": "...", "priority": 10, "weight": 1, "token": "..."}]};
     * {@code priority} (lower is asked first, default 10), {@code weight} (default 1), {@code token}
     * (default {@code RXON_WORKER_TOKEN}) and {@code oidc} ({@code token_url}, {@code client_id},
     * {@code client_secret}) are optional. When set, {@link #orchestratorUrl()} is not used.
     */
    Optional<String> orchestrators();

    /**
     * How a worker with several orchestrators picks the one to ask for its next task
     * ({@code RXON_ORCHESTRATORS_MODE}): {@code failover} (the first in priority order that
     * answers), {@code round-robin} (smooth weighted by {@code weight}) or {@code waterfall}
     * (priority order, an empty answer moves on, a task restarts at the top).
     */
    @WithDefault("failover")
    String orchestratorsMode();

    /** This worker's id ({@code RXON_WORKER_ID}); default: the host name made a valid identifier. */
    Optional<String> id();

    /** Token sent as {@code X-Worker-Token} and key of the message signatures ({@code RXON_WORKER_TOKEN}). */
    Optional<String> token();

    /**
     * The orchestrator's task-signing key ({@code RXON_ORCHESTRATOR_SECRET_KEY}, equal to its
     * {@code RXON_TASK_SIGNING_KEY}): when set, tasks without a valid {@code sig} are refused
     * with {@code SECURITY_ERROR}.
     */
    Optional<String> orchestratorSecretKey();

    /** Keycloak (OIDC) identity: a client-credentials token instead of a static token, and an Ed25519 key. */
    Oidc oidc();

    /**
     * An Ed25519 private key (unencrypted PKCS#8 PEM) to sign messages with ({@code RXON_WORKER_KEY_FILE});
     * without it a Keycloak worker generates one at start. Its public key is registered.
     */
    Optional<Path> keyFile();

    interface Oidc {
        /** The provider's token endpoint, e.g. {@code https://keycloak/realms/rxon/protocol/openid-connect/token}. */
        Optional<URI> tokenUrl();

        /** The worker's client id; worker ids must equal it or start with it and a dash. */
        Optional<String> clientId();

        /** The client secret: from the environment or a Kubernetes Secret only. */
        Optional<String> clientSecret();
    }

    /** The registration's {@code worker_type}. */
    @WithDefault("generic")
    String type();

    /** Tasks held at most at a time ({@code RXON_WORKER_CONCURRENCY}); default: the number of CPUs. */
    OptionalInt concurrency();

    /** Timing of the conversation with the orchestrator. */
    Timing timing();

    /** Graceful shutdown. */
    Drain drain();

    /** How tasks reach the worker. */
    Dispatch dispatch();

    /** Resources advertised at registration. */
    Host host();

    /** Installed software advertised at registration, name to version; {@code java} is always added. */
    Map<String, String> installedSoftware();

    /** Installed artifacts (models, data sets) advertised at registration, name to version. */
    Map<String, String> installedArtifacts();

    /** Capabilities advertised at registration. */
    Capabilities capabilities();

    /** Blob storage for {@code s3://} references: local directory, or S3 when {@link #s3()} is configured. */
    Blob blob();

    /** S3-compatible blob storage ({@code RXON_S3_*}): the keys and defaults the orchestrator uses too. */
    S3Config s3();

    /** Which skills to offer. */
    Skills skills();

    /** Timing of the conversation with the orchestrator. */
    interface Timing {
        /** Time between heartbeats ({@code RXON_HEARTBEAT_INTERVAL}); well below the orchestrator's liveness. */
        @WithDefault("15s")
        Duration heartbeatInterval();

        /** Longest wait of one long-poll ({@code RXON_POLL_TIMEOUT}); the server may answer sooner. */
        @WithDefault("30s")
        Duration pollTimeout();

        /** First wait after a failed call; doubled per consecutive failure, with jitter. */
        @WithDefault("1s")
        Duration backoffInitial();

        /** Longest wait between attempts. */
        @WithDefault("60s")
        Duration backoffMax();

        /** Readiness turns down when the orchestrator has not answered for this long. */
        @WithDefault("45s")
        Duration contactTimeout();

        /**
         * How long a {@code credit} or {@code result} frame waits for the orchestrator's answer
         * ({@code RXON_SOCKET_ACK_TIMEOUT}); without one the worker falls back to long-poll and HTTP.
         */
        @WithDefault("3s")
        Duration socketAckTimeout();
    }

    /** Graceful shutdown. */
    interface Drain {
        /** How long running tasks may finish on shutdown before being cancelled ({@code RXON_DRAIN_GRACE_PERIOD}). */
        @WithDefault("30s")
        Duration gracePeriod();

        /** How long shutdown keeps trying to deliver queued results. */
        @WithDefault("10s")
        Duration resultFlushTimeout();
    }

    /** How tasks reach the worker. */
    interface Dispatch {
        /**
         * Ask for push dispatch over the socket ({@code RXON_PUSH_DISPATCH}); default: on for
         * {@code ws(s)://} URLs. Used only when the register answer consents (docs/PUSH_DISPATCH.md).
         */
        Optional<Boolean> push();

        /** Open the socket for commands ({@code cancel_task}); default: with push or a {@code ws(s)://} URL. */
        Optional<Boolean> socket();
    }

    /** Resources advertised at registration. */
    interface Host {
        /** {@code cpu_cores} to advertise; default: the processors available to the JVM. */
        OptionalInt cpuCores();

        /** {@code ram_gb} to advertise; default: the host's physical memory. */
        OptionalDouble ramGb();

        /** Look for NVIDIA GPUs with {@code nvidia-smi} when it is on the PATH. */
        @WithDefault("true")
        boolean gpuDiscovery();

        /** Extra devices (sensors, actuators, accelerators…) by name; the name is the default device id. */
        Map<String, Device> devices();

        /** Extra devices as a JSON list of HardwareDevice objects ({@code RXON_WORKER_DEVICES}). */
        Optional<String> devicesJson();

        /** Host properties ({@code location}, {@code tier}…); numbers, booleans and JSON values are typed. */
        Map<String, String> properties();

        /** Tags, advertised as the {@code tags} property ({@code RXON_WORKER_TAGS}, comma-separated). */
        Optional<List<String>> tags();

        /** One configured device. */
        interface Device {
            /** Device class, e.g. {@code sensor}, {@code actuator}, {@code gpu}. */
            String type();

            /** Model string; requirements match it as a case-insensitive substring. */
            Optional<String> model();

            /** Device id on the host; default: the device's name in this map. */
            Optional<String> id();

            /** Static properties used in matching; numbers, booleans and JSON values are typed. */
            Map<String, String> properties();
        }
    }

    /** Capabilities advertised at registration. */
    interface Capabilities {
        /** Host name to advertise; default: the local host name. */
        Optional<String> hostname();

        /** IP address to advertise; default: the local host address. */
        Optional<String> ipAddress();

        /** Price per skill, used by cost-aware dispatch strategies. */
        Map<String, Double> costPerSkill();

        /** Free-form extra capabilities, matched by a task's {@code extra_requirements}. */
        Map<String, String> extra();
    }

    /** Blob storage for {@code s3://} references (docs/BLOBS.md). */
    interface Blob {
        /** Local blob store root without S3: {@code s3://bucket/key} = {@code <root>/bucket/key} ({@code RXON_BLOB_DIR}). */
        @WithDefault("./data/blobs")
        Path localRoot();

        /** Bucket name the local store writes outputs to (the orchestrator's default is the same). */
        @WithDefault("rxon")
        String localBucket();

        /** Result data whose JSON is larger than this travel as a blob reference (only with S3). */
        @WithDefault("256K")
        MemorySize offloadThreshold();

        /** Largest claim-checked params this worker restores into memory. */
        @WithDefault("64M")
        MemorySize maxRestoreSize();

        /** Parent of the tasks' own directories (downloaded inputs, outputs); each is removed after its task. */
        @WithDefault("./data/tasks")
        Path taskDir();
    }

    /** Which skills to offer. */
    interface Skills {
        /** Names of skills not to offer, e.g. the built-in {@code echo}, {@code sleep}, {@code sha256}. */
        Optional<Set<String>> exclude();
    }
}
