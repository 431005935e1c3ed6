package io.rxon.worker.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.rxon.common.blob.BlobStore;
import io.rxon.common.blob.LocalDirectoryBlobStore;
import io.rxon.common.blob.S3ConfigHash;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.Backoff;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import io.rxon.worker.host.HostInventory;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.NvidiaSmi;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.runtime.RuntimeSettings;
import io.rxon.worker.runtime.WorkerRuntime;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    @Produces
    @Singleton
    Transport transport(WorkerConfig config, Clock clock) {
        String workerId = workerId(config.id());
        String token = config.token().orElse(null);
        TransportOptions.Builder options = TransportOptions.builder()
                .token(token)
                .clock(clock)
                // the result outbox retries; one attempt per call avoids nested retry loops
                .resultRetries(1)
                .socketBackoff(new Backoff(config.timing().backoffInitial(), config.timing().backoffMax()));
        if (MessageSigning.isUsableSecret(token)) {
            options.signing(new MessageSigning(new HmacSigner(token), workerId));
        }
        return Transports.create(config.orchestratorUrl(), workerId, options.build());
    }

    void closeTransport(@Disposes Transport transport) {
        transport.close();
    }

    @Produces
    @Singleton
    SkillRegistry skillRegistry(@Any Instance<Skill> skills, WorkerConfig config) {
        List<Skill> found = new ArrayList<>();
        skills.forEach(found::add);
        return SkillRegistry.of(found, config.skills().exclude().orElse(Set.of()));
    }

    @Produces
    @Singleton
    BlobStore blobStore(WorkerConfig config) {
        // Runs on the calling (task) thread: blob work is bounded by the task slots, no extra pool.
        return new LocalDirectoryBlobStore(config.blob().localRoot(), Runnable::run);
    }

    @Produces
    @Singleton
    RuntimeSettings runtimeSettings(WorkerConfig config, Transport transport) {
        boolean push = config.dispatch().push().orElse(transport.socketPreferred());
        boolean socket = config.dispatch().socket().orElse(push || transport.socketPreferred());
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
    WorkerRuntime runtime(RuntimeSettings settings, Transport transport, SkillRegistry skills, WorkerConfig config,
            MeterRegistry meters, Clock clock) {
        Optional<NvidiaSmi> gpus = config.host().gpuDiscovery() ? NvidiaSmi.locate() : Optional.empty();
        WorkerProfile profile = profile(config, gpus);
        return new WorkerRuntime(settings, transport, skills, profile, new HostTelemetry(gpus),
                new WorkerMetrics(meters), clock);
    }

    /** The registration's static part, from discovery and configuration. */
    static WorkerProfile profile(WorkerConfig config, Optional<NvidiaSmi> gpus) {
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
        WorkerConfig.Blob blob = config.blob();
        String s3Hash = S3ConfigHash.calculate(blob.s3Endpoint().orElse(null), blob.s3AccessKey().orElse(null),
                blob.s3Bucket().orElse(null)).orElse(null);
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
