package io.rxon.worker.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.S3Config;
import io.rxon.blob.s3.S3Settings;
import io.rxon.common.blob.BlobStore;
import io.rxon.common.blob.LocalDirectoryBlobStore;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.transport.Backoff;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.host.HostInventory;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.NvidiaSmi;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.link.LinkMode;
import io.rxon.worker.link.OrchestratorEntry;
import io.rxon.worker.link.OrchestratorsConfig;
import io.rxon.worker.runtime.LinkSpec;
import io.rxon.worker.runtime.RuntimeSettings;
import io.rxon.worker.runtime.WorkerRuntime;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.TaskTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns {@link WorkerConfig} into the worker's objects: the transport, the skill registry, the
 * profile it registers with, the blob store and the runtime. The only class that reads the
 * configuration, so everything else stays plain, testable Java.
 */
@ApplicationScoped
public class WorkerBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * One transport, identity and profile per orchestrator: {@code RXON_ORCHESTRATORS} when set,
     * else the single {@code RXON_ORCHESTRATOR_URL}; asked in {@code RXON_ORCHESTRATORS_MODE}.
     */
    @Produces
    @Singleton
    OrchestratorLinks orchestratorLinks(WorkerConfig config, Clock clock) {
        String workerId = workerId(config.id());
        List<OrchestratorEntry> entries = OrchestratorsConfig.resolve(config.orchestrators(), config.orchestratorUrl());
        LinkMode mode = LinkMode.parse(config.orchestratorsMode());
        Optional<NvidiaSmi> gpus = config.host().gpuDiscovery() ? NvidiaSmi.locate() : Optional.empty();
        Supplier<KeyPair> keys = WorkerSecurity.keyPairs(config);
        List<LinkSpec> specs = new ArrayList<>();
        for (OrchestratorEntry entry : entries) {
            WorkerSecurity security = WorkerSecurity.forEntry(config, workerId, entry, keys);
            Transport transport = transport(config, security, clock, entry.url(), workerId);
            boolean push = config.dispatch().push().orElse(transport.socketPreferred());
            boolean socket = config.dispatch().socket().orElse(push || transport.socketPreferred());
            specs.add(new LinkSpec(entry.url(), transport, entry.priority(), entry.weight(), socket || push, push,
                    Optional.of(profile(config, gpus, security.publicKeyPem()))));
        }
        return new OrchestratorLinks(List.copyOf(specs), mode, gpus);
    }

    void closeLinks(@Disposes OrchestratorLinks links) {
        links.specs().forEach(spec -> spec.transport().close());
    }

    /** The first orchestrator's transport (the only one of a worker with one orchestrator). */
    @Produces
    @Singleton
    Transport transport(OrchestratorLinks links) {
        return links.specs().get(0).transport();
    }

    private static Transport transport(WorkerConfig config, WorkerSecurity security, Clock clock, String url,
            String workerId) {
        TransportOptions.Builder options = TransportOptions.builder()
                .credentials(security.credentials())
                .clock(clock)
                // the result outbox retries; one attempt per call avoids nested retry loops
                .resultRetries(1)
                .socketAckTimeout(config.timing().socketAckTimeout())
                .socketBackoff(new Backoff(config.timing().backoffInitial(), config.timing().backoffMax()));
        security.signing().ifPresent(options::signing);
        return Transports.create(url, workerId, options.build());
    }

    @Produces
    @Singleton
    SkillRegistry skillRegistry(@Any Instance<Skill> skills, WorkerConfig config) {
        List<Skill> found = new ArrayList<>();
        skills.forEach(found::add);
        return SkillRegistry.of(found, config.skills().exclude().orElse(Set.of()));
    }

    /** S3 as soon as an endpoint or a bucket is configured, else the local directory (docs/BLOBS.md). */
    @Produces
    @Singleton
    BlobStore blobStore(WorkerConfig config) {
        // Blocking parts run on the calling (task) thread: blob work is bounded by the task slots, no extra pool.
        Optional<S3Settings> s3 = s3Settings(config.s3());
        if (s3.isPresent()) {
            Log.infof("blobs on S3: bucket %s at %s", s3.get().bucket(),
                    s3.get().endpoint().map(Object::toString).orElse("AWS " + s3.get().region()));
            return new S3BlobStore(s3.get(), Runnable::run);
        }
        return new LocalDirectoryBlobStore(config.blob().localRoot(), Runnable::run);
    }

    void closeBlobStore(@Disposes BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }

    @Produces
    @Singleton
    TaskBlobs taskBlobs(BlobStore store, WorkerConfig config) {
        Optional<S3Settings> s3 = s3Settings(config.s3());
        return new TaskBlobs(store, s3.map(S3Settings::bucket).orElse(config.blob().localBucket()), s3.isPresent(),
                config.blob().offloadThreshold().asLongValue(), config.blob().maxRestoreSize().asLongValue(),
                config.blob().taskDir());
    }

    /** The S3 settings when S3 is configured; the orchestrator builds its own from the same keys. */
    static Optional<S3Settings> s3Settings(S3Config s3) {
        return S3Config.settings(s3, Optional.empty(), "the worker needs the bucket the orchestrator uses");
    }

    @Produces
    @Singleton
    RuntimeSettings runtimeSettings(WorkerConfig config, OrchestratorLinks links) {
        // the first orchestrator's channel; each link applies its own (LinkSpec)
        boolean push = links.specs().get(0).pushDispatch();
        boolean socket = links.specs().get(0).socket();
        return new RuntimeSettings(
                config.concurrency().orElse(Runtime.getRuntime().availableProcessors()),
                config.timing().heartbeatInterval(),
                config.timing().pollTimeout(),
                config.timing().backoffInitial(),
                config.timing().backoffMax(),
                config.drain().gracePeriod(),
                config.drain().resultFlushTimeout(),
                config.timing().contactTimeout(),
                socket || push,
                push);
    }

    @Produces
    @Singleton
    WorkerRuntime runtime(RuntimeSettings settings, OrchestratorLinks links, SkillRegistry skills,
            WorkerConfig config, MeterRegistry meters, Clock clock, TaskBlobs blobs, OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean tracingDisabled) {
        WorkerProfile profile = links.specs().get(0).profile().orElseThrow();
        return new WorkerRuntime(settings, links.specs(), links.mode(), skills, profile,
                new HostTelemetry(links.gpus()), new WorkerMetrics(meters), clock, blobs,
                config.orchestratorSecretKey().filter(key -> !key.isBlank()).map(HmacSigner::new),
                tracingDisabled ? TaskTracing.off() : TaskTracing.of(openTelemetry));
    }

    /** The registration's static part, from discovery and configuration. */
    static WorkerProfile profile(WorkerConfig config, Optional<NvidiaSmi> gpus, Optional<String> publicKeyPem) {
        WorkerConfig.Host host = config.host();
        List<HardwareDevice> discovered = gpus.map(NvidiaSmi::gpus).orElse(List.of());
        if (!discovered.isEmpty()) {
            Log.infof("found %d GPU(s) with nvidia-smi", discovered.size());
        }
        int cpuCores = host.cpuCores().orElse(Runtime.getRuntime().availableProcessors());
        double ramGb = host.ramGb().orElse(HostTelemetry.totalRamGb());
        Map<String, Object> properties = new LinkedHashMap<>();
        host.properties().forEach((key, value) -> properties.put(key, ConfigValues.typed(value)));
        var resources = HostInventory.resources(cpuCores, ramGb, discovered, configuredDevices(host), properties,
                host.tags().orElse(List.of()));

        Map<String, String> software = new LinkedHashMap<>();
        software.put("java", System.getProperty("java.version", "unknown"));
        software.putAll(config.installedSoftware());
        List<InstalledArtifact> artifacts = new ArrayList<>();
        config.installedArtifacts().forEach((name, version) -> artifacts.add(new InstalledArtifact(name, version,
                null, null)));

        WorkerConfig.Capabilities declared = config.capabilities();
        Map<String, Object> extra = new LinkedHashMap<>();
        declared.extra().forEach((key, value) -> extra.put(key, ConfigValues.typed(value)));
        publicKeyPem.ifPresent(pem -> extra.put(Protocol.EXTRA_ED25519_PUBLIC_KEY, pem));
        String s3Hash = s3Settings(config.s3()).flatMap(S3Settings::configHash).orElse(null);
        WorkerCapabilities capabilities = new WorkerCapabilities(
                declared.hostname().orElseGet(WorkerBeans::hostName),
                declared.ipAddress().orElseGet(WorkerBeans::hostAddress),
                declared.costPerSkill().isEmpty() ? null : declared.costPerSkill(),
                s3Hash, extra.isEmpty() ? null : extra);
        return new WorkerProfile(config.type(), resources, software, artifacts, capabilities);
    }

    static List<HardwareDevice> configuredDevices(WorkerConfig.Host host) {
        List<HardwareDevice> devices = new ArrayList<>();
        host.devices().forEach((name, device) -> {
            Map<String, Object> properties = new LinkedHashMap<>();
            device.properties().forEach((key, value) -> properties.put(key, ConfigValues.typed(value)));
            devices.add(new HardwareDevice(device.type(), device.model().orElse(null), device.id().orElse(name),
                    properties.isEmpty() ? null : properties, null));
        });
        host.devicesJson().filter(json -> !json.isBlank()).ifPresent(json -> {
            try {
                devices.addAll(Arrays.asList(Json.read(json, HardwareDevice[].class)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rxon.worker.host.devices-json (RXON_WORKER_DEVICES) is not a JSON "
                        + "list of devices: " + e.getMessage(), e);
            }
        });
        return devices;
    }

    /** The configured id, checked, or the host name made a valid identifier. */
    static String workerId(Optional<String> configured) {
        return configured.filter(id -> !id.isBlank())
                .map(id -> Identifiers.require(id, "rxon.worker.id (RXON_WORKER_ID)"))
                .orElseGet(() -> Identifiers.sanitize(hostName()));
    }

    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return fromEnv == null || fromEnv.isBlank() ? "worker" : fromEnv;
        }
    }

    static String hostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
