package io.rxon.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.ResourcesUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How heartbeats of one worker between two flushes add up to the row that is written. */
class WorkerSightingTest {

    private static final ResourcesUsage BUSY_CPU = new ResourcesUsage(90.0, 4.0, null);

    private static Heartbeat heartbeat(String status, ResourcesUsage usage, List<String> currentTasks) {
        return new Heartbeat("w1", status, usage, currentTasks, null, null, null, null, null, null, 1L);
    }

    @Test
    void shouldTakeEverythingFromTheLaterHeartbeat() {
        WorkerSighting first = WorkerSighting.of(heartbeat("idle", new ResourcesUsage(1.0, 1.0, null), List.of()), 100);
        WorkerSighting second = WorkerSighting.of(heartbeat("busy", BUSY_CPU, List.of("t1")), 200);

        WorkerSighting merged = first.then(second);

        assertThat(merged).isEqualTo(new WorkerSighting(200, "busy", BUSY_CPU, true, List.of("t1")));
    }

    @Test
    void shouldKeepStatusUsageAndTasksWhenAnEmptyHeartbeatFollows() {
        WorkerSighting heartbeat = WorkerSighting.of(heartbeat("busy", BUSY_CPU, List.of("t1")), 100);

        WorkerSighting merged = heartbeat.then(WorkerSighting.alive(300));

        assertThat(merged).isEqualTo(new WorkerSighting(300, "busy", BUSY_CPU, true, List.of("t1")));
    }

    @Test
    void shouldKeepTheEarlierUsageWhenTheLaterHeartbeatCarriesNone() {
        WorkerSighting first = WorkerSighting.of(heartbeat("busy", BUSY_CPU, List.of("t1")), 100);
        WorkerSighting second = WorkerSighting.of(heartbeat("idle", null, null), 200);

        WorkerSighting merged = first.then(second);

        assertThat(merged).isEqualTo(new WorkerSighting(200, "idle", BUSY_CPU, true, null));
    }

    @Test
    void shouldReportNoStatusOrTasksWhenOnlyEmptyHeartbeatsArrived() {
        WorkerSighting merged = WorkerSighting.alive(100).then(WorkerSighting.alive(200));

        assertThat(merged).isEqualTo(new WorkerSighting(200, null, null, false, null));
    }

    @Test
    void shouldNeverMoveLivenessBackWhenAnOlderSightingIsMergedAgain() {
        WorkerSighting failedWrite = WorkerSighting.of(heartbeat("busy", BUSY_CPU, List.of("t1")), 500);
        WorkerSighting since = WorkerSighting.alive(400);

        WorkerSighting merged = failedWrite.then(since);

        assertThat(merged.seenAt()).isEqualTo(500);
        assertThat(merged.status()).isEqualTo("busy");
    }
}
