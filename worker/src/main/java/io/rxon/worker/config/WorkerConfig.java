package io.rxon.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
     * {@code ws(s)://} is the same orchestrator with the socket channel and push dispatch;
     * {@code mock://} an in-memory orchestrator for tests.
     */
    @WithDefault("http://localhost:8080")
    String orchestratorUrl();

    /** This worker's id ({@code RXON_WORKER_ID}); default: the host name made a valid identifier. */
    Optional<String> id();

    /** Token sent as {@code X-Worker-Token} and key of the message signatures ({@code RXON_WORKER_TOKEN}). */
    Optional<String> token();

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

    /** Blob storage for {@code s3://} references. */
    Blob blob();

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
        /** Push dispatch over the socket ({@code RXON_PUSH_DISPATCH}); default: on for {@code ws(s)://} URLs. */
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

    /** Blob storage for {@code s3://} references. */
    interface Blob {
        /** Local blob store root: {@code s3://bucket/key} = {@code <root>/bucket/key} ({@code RXON_BLOB_DIR}). */
        @WithDefault("./data/blobs")
        Path localRoot();

        /** S3 endpoint; with access key and bucket it gives the {@code s3_config_hash} capability. */
        Optional<String> s3Endpoint();

        /** S3 access key id (only its fingerprint leaves the worker). */
        Optional<String> s3AccessKey();

        /** Default S3 bucket. */
        Optional<String> s3Bucket();
    }

    /** Which skills to offer. */
    interface Skills {
        /** Names of skills not to offer, e.g. the built-in {@code echo}, {@code sleep}, {@code sha256}. */
        Optional<Set<String>> exclude();
    }
}
