package io.rxon.worker.testing;

import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.runtime.RuntimeSettings;
import io.rxon.worker.runtime.WorkerRuntime;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Builds whole workers against an in-memory orchestrator, with timings short enough for tests. */
public final class Workers {

    private Workers() {}

    /** Settings: {@code slots} slots, 50 ms heartbeats and polls, millisecond backoffs. */
    public static RuntimeSettings settings(int slots, boolean socket, boolean push, Duration drainGrace) {
        return new RuntimeSettings(slots, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(10),
                Duration.ofMillis(100), drainGrace, Duration.ofSeconds(5), Duration.ofSeconds(5), socket, push);
    }

    public static RuntimeSettings settings(int slots) {
        return settings(slots, false, false, Duration.ofSeconds(5));
    }

    public static WorkerRuntime runtime(RuntimeSettings settings, RecordingTransport transport, Skill... skills) {
        return runtime(settings, transport, TaskBlobs.none(), skills);
    }

    /** A worker whose tasks reach blobs through {@code blobs}. */
    public static WorkerRuntime runtime(RuntimeSettings settings, RecordingTransport transport, TaskBlobs blobs,
            Skill... skills) {
        return new WorkerRuntime(settings, transport, SkillRegistry.of(List.of(skills), Set.of()),
                WorkerProfile.minimal("test-host"), HostTelemetry.hostOnly(), WorkerMetrics.inMemory(),
                Clock.systemUTC(), blobs);
    }
}
