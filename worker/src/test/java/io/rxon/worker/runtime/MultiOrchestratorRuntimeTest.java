package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.transport.MockTransport;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.link.LinkMode;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.testing.RecordingTransport;
import io.rxon.worker.testing.Workers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One worker runtime with two in-memory orchestrators: per-orchestrator registration, results, drain. */
class MultiOrchestratorRuntimeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final RecordingTransport firstLink = new RecordingTransport("w-multi");
    private final MockTransport first = firstLink.mock();
    private final MockTransport second = new MockTransport("w-multi", "token-second");
    private final WorkerMetrics metrics = WorkerMetrics.inMemory();
    private WorkerRuntime worker;

    @AfterEach
    void drainWorker() {
        if (worker != null) {
            worker.drain();
        }
    }

    private WorkerRuntime start(LinkMode mode) {
        RuntimeSettings settings = Workers.settings(2);
        worker = new WorkerRuntime(settings, List.of(
                new LinkSpec("mock://second", second, 2, 1, true, true, Optional.empty()),
                new LinkSpec("mock://first", firstLink, 1, 1, true, true, Optional.empty())), mode,
                SkillRegistry.of(List.of(new EchoSkill()), Set.of()), WorkerProfile.minimal("test-host"),
                HostTelemetry.hostOnly(), metrics, Clock.systemUTC(), TaskBlobs.none(), Optional.empty());
        worker.start();
        await().atMost(PATIENCE).until(() -> !first.registrations().isEmpty() && !second.registrations().isEmpty());
        return worker;
    }

    @Test
    void shouldReturnEveryResultToTheOrchestratorThatGaveTheTask() {
        // given a round-robin worker registered with both orchestrators
        start(LinkMode.ROUND_ROBIN);

        // when each orchestrator gives it five tasks
        for (int i = 0; i < 5; i++) {
            first.pushTask(TaskPayload.of("j-first", "t-first-" + i, "echo", Map.of("text", "a" + i)));
            second.pushTask(TaskPayload.of("j-second", "t-second-" + i, "echo", Map.of("text", "b" + i)));
        }

        // then each result went to the orchestrator of its task, and nowhere else
        await().atMost(PATIENCE).until(() -> first.results().size() == 5 && second.results().size() == 5);
        assertThat(first.results()).extracting(TaskResult::taskId).allMatch(id -> id.startsWith("t-first-"));
        assertThat(second.results()).extracting(TaskResult::taskId).allMatch(id -> id.startsWith("t-second-"));
        assertThat(worker.links()).extracting(OrchestratorLink::tasksTaken).containsExactly(5L, 5L);
        assertThat(metrics.registry().find("rxon.worker.orchestrator.tasks").tag("orchestrator", "mock://first")
                .functionCounter().count()).isEqualTo(5.0);
    }

    @Test
    void shouldOrderTheLinksByPriorityAndNeverNegotiatePushWithSeveral() {
        // when a worker with push asked for on both has registered
        start(LinkMode.FAILOVER);

        // then the first in priority order is the first link, and neither registration announced push dispatch
        assertThat(worker.links()).extracting(OrchestratorLink::url).containsExactly("mock://first",
                "mock://second");
        assertThat(first.registrations().get(0).capabilities().extra())
                .doesNotContainKey(Protocol.EXTRA_PUSH_DISPATCH);
        assertThat(second.registrations().get(0).capabilities().extra())
                .doesNotContainKey(Protocol.EXTRA_PUSH_DISPATCH);
    }

    @Test
    void shouldTellEveryOrchestratorItGoesOfflineWhenDrained() {
        // given a worker registered with both orchestrators
        start(LinkMode.FAILOVER);
        await().atMost(PATIENCE).until(() -> !first.heartbeats().isEmpty() && !second.heartbeats().isEmpty());

        // when it drains
        worker.drain();

        // then the last heartbeat each orchestrator got says offline
        assertThat(last(first.heartbeats()).status()).isEqualTo(WorkerStatus.OFFLINE.wire());
        assertThat(last(second.heartbeats()).status()).isEqualTo(WorkerStatus.OFFLINE.wire());
    }

    @Test
    void shouldLeaveARateLimitedOrchestratorAloneForThirtySecondsAndAskTheOtherMeanwhile() {
        // given a failover worker whose first orchestrator answers its next poll with 429 and Retry-After: 1
        firstLink.failNextPolls(1, () -> new RxonRateLimitException("slow down", Duration.ofSeconds(1), null));
        start(LinkMode.FAILOVER);

        // when both orchestrators have work
        first.pushTask(TaskPayload.of("j-first", "t-first", "echo", Map.of("text", "a")));
        second.pushTask(TaskPayload.of("j-second", "t-second", "echo", Map.of("text", "b")));

        // then the second gives its task at once, while the first is not asked again within the 30 s floor
        OrchestratorLink rateLimited = worker.links().get(0);
        await().atMost(PATIENCE).until(() -> second.results().size() == 1 && !firstLink.polledSkills().isEmpty()
                && !rateLimited.canBeAsked());
        assertThat(firstLink.polledSkills()).hasSize(1);
        assertThat(rateLimited.backoffRemaining()).isGreaterThan(Duration.ofSeconds(25));
        assertThat(rateLimited.lastError()).hasValueSatisfying(error -> assertThat(error).contains("slow down"));
        assertThat(first.results()).isEmpty();
    }

    private static Heartbeat last(List<Heartbeat> heartbeats) {
        return heartbeats.get(heartbeats.size() - 1);
    }
}
