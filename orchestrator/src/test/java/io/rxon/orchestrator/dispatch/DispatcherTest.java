package io.rxon.orchestrator.dispatch;

import static io.rxon.orchestrator.testing.Fixtures.gpu;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.registration;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.job.JobStatements;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How the dispatcher picks a waiting worker for a new task (hot workers first, eligible ones only)
 * and when an idle worker's poll may park without a claim query (nothing offered since its last
 * empty claim), with the safety net for a task that becomes pending without an offer.
 */
@QuarkusTest
class DispatcherTest {

    private static final Duration PARKED = Duration.ofSeconds(9);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Dispatcher dispatcher;

    @Inject
    JobStatements statements;

    @Test
    void shouldParkAnIdleWorkersRePollWithoutAClaimQuery() {
        // given an idle worker whose poll found nothing
        String skill = uniqueSkill("idle");
        Transport worker = registeredWorker(root, uniqueWorker("idle"), skill);
        assertThat(worker.pollTask(Duration.ofMillis(300), null, null)).isEmpty();
        long queries = dispatcher.claimQueries();
        long skipped = dispatcher.claimQueriesSkipped();

        // when it polls again and nothing was offered in between
        Optional<TaskPayload> again = worker.pollTask(Duration.ofMillis(300), null, null);

        // then it parks without a claim transaction
        assertThat(again).isEmpty();
        assertThat(dispatcher.claimQueries()).isEqualTo(queries);
        assertThat(dispatcher.claimQueriesSkipped()).isEqualTo(skipped + 1);
    }

    @Test
    void shouldHandATaskSubmittedWhileAWorkerIsParkedToItAtOnce() {
        // given an idle worker, parked again after an empty claim
        String skill = uniqueSkill("wake");
        String workerId = uniqueWorker("parked");
        Transport worker = registeredWorker(root, workerId, skill);
        assertThat(worker.pollTask(Duration.ofMillis(300), null, null)).isEmpty();
        CompletableFuture<Optional<TaskPayload>> poll = CompletableFuture.supplyAsync(
                () -> worker.pollTask(PARKED, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.isParked(workerId));

        // when a job is submitted
        String jobId = submit(skill, Map.of());

        // then the parked poll returns with it, within its window
        assertThat(poll.join()).hasValueSatisfying(task -> assertThat(task.jobId()).isEqualTo(jobId));
    }

    @Test
    void shouldNotAskTheDatabaseAgainWhenTheOnlyNewTaskWasHandedToTheRePollingWorker() {
        // given an idle worker, parked after an empty claim, that is handed a newly submitted job
        String skill = uniqueSkill("handed");
        String workerId = uniqueWorker("handed");
        Transport worker = registeredWorker(root, workerId, skill);
        assertThat(worker.pollTask(Duration.ofMillis(300), null, null)).isEmpty();
        CompletableFuture<Optional<TaskPayload>> poll = CompletableFuture.supplyAsync(
                () -> worker.pollTask(PARKED, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.isParked(workerId));
        String jobId = submit(skill, Map.of());
        assertThat(poll.join()).hasValueSatisfying(task -> assertThat(task.jobId()).isEqualTo(jobId));
        long queries = dispatcher.claimQueries();
        long skipped = dispatcher.claimQueriesSkipped();

        // when it polls again, nothing else of its skill having been submitted
        Optional<TaskPayload> again = worker.pollTask(Duration.ofMillis(300), null, null);

        // then it parks without a claim transaction: the one new task was its own
        assertThat(again).isEmpty();
        assertThat(dispatcher.claimQueries()).isEqualTo(queries);
        assertThat(dispatcher.claimQueriesSkipped()).isEqualTo(skipped + 1);
    }

    @Test
    void shouldFindATaskThatWasNeverOfferedOnceTheEmptyClaimIsNoLongerTrusted() throws Throwable {
        // given an idle worker whose poll found nothing
        String skill = uniqueSkill("unoffered");
        Transport worker = registeredWorker(root, uniqueWorker("unoffered"), skill);
        assertThat(worker.pollTask(Duration.ofMillis(300), null, null)).isEmpty();

        // when a task of its skill becomes pending without being offered (as when another instance's notification is lost)
        String jobId = java.util.UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        VertxContextSupport.subscribeAndAwait(() -> statements.insert(new JobStatements.NewJob(jobId, "default", skill,
                Map.of(), null, null, null, 0.0, 3, null, null, java.util.UUID.randomUUID().toString(), null, null, now,
                null)));

        // then the worker's next poll, still trusting its empty claim, parks without it ...
        assertThat(worker.pollTask(Duration.ofMillis(300), null, null)).isEmpty();
        // ... and a later poll, once the empty claim is too old to trust, finds it
        Optional<TaskPayload> task = await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.pollTask(Duration.ofSeconds(1), null, null), Optional::isPresent);
        assertThat(task.orElseThrow().jobId()).isEqualTo(jobId);
    }

    @Test
    void shouldHandAParkedWorkerATaskOfASkillItGainedWhileParked() {
        // given a parked worker, and a job of a skill no worker has yet
        String oldSkill = uniqueSkill("old");
        String newSkill = uniqueSkill("new");
        String workerId = uniqueWorker("learning");
        Transport worker = registeredWorker(root, workerId, oldSkill);
        CompletableFuture<Optional<TaskPayload>> poll = CompletableFuture.supplyAsync(
                () -> worker.pollTask(PARKED, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.isParked(workerId));
        String jobId = submit(newSkill, Map.of());

        // when the worker's heartbeat announces the new skill
        worker.sendHeartbeat(new Heartbeat(workerId, "idle", null, List.of(),
                List.of(SkillInfo.named(oldSkill), SkillInfo.named(newSkill)), null, null, "skills-v2", null, null,
                Instant.now().getEpochSecond()));

        // then its parked poll gets that job, without a new poll or offer
        assertThat(poll.join()).hasValueSatisfying(task -> assertThat(task.jobId()).isEqualTo(jobId));
    }

    @Test
    void shouldOfferATaskToAWorkerThatListsItsTypeAsHotFirst() {
        // given a worker with the skill and another that lists it among its hot skills, both parked
        String skill = uniqueSkill("hot");
        String coldId = uniqueWorker("cold");
        Transport cold = registeredWorker(root, coldId, skill);
        String hotId = uniqueWorker("hot");
        Transport hot = transport(root, hotId);
        hot.register(new WorkerRegistration(hotId, null, List.of(SkillInfo.named(skill)), null, List.of(skill),
                new Resources(null, Map.of("cpu_cores", 4)), null, null,
                new WorkerCapabilities("test-host", null, null, null, null), null, null, null, null));
        List<CompletableFuture<Optional<TaskPayload>>> coldPolls = new ArrayList<>();

        for (int round = 0; round < 4; round++) {
            if (coldPolls.isEmpty() || coldPolls.get(coldPolls.size() - 1).isDone()) {
                coldPolls.add(CompletableFuture.supplyAsync(() -> cold.pollTask(PARKED, null, null)));
            }
            CompletableFuture<Optional<TaskPayload>> hotPoll = CompletableFuture.supplyAsync(
                    () -> hot.pollTask(PARKED, null, null));
            CompletableFuture<Optional<TaskPayload>> coldPoll = coldPolls.get(coldPolls.size() - 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.isParked(hotId)
                    && (dispatcher.isParked(coldId) || coldPoll.isDone()));

            // when a task of that type arrives
            String jobId = submit(skill, Map.of());

            // then the hot worker gets it, every time (and finishes it, so no lease runs out)
            TaskPayload task = hotPoll.join().orElseThrow();
            assertThat(task.jobId()).isEqualTo(jobId);
            assertThat(hot.sendResult(TaskResult.success(task, hotId, Map.of(), Instant.now().getEpochSecond())))
                    .isTrue();
        }
        // and the other worker never does
        assertThat(coldPolls).allSatisfy(poll -> assertThat(poll.join()).isEmpty());
    }

    @Test
    void shouldOfferATaskOnlyToWorkersThatMeetItsRequirements() {
        // given two parked workers with the skill, only one of them with the GPU the job needs
        String skill = uniqueSkill("render");
        String cpuId = uniqueWorker("cpu");
        Transport cpuWorker = registeredWorker(root, cpuId, skill);
        String gpuId = uniqueWorker("gpu");
        Transport gpuWorker = transport(root, gpuId);
        gpuWorker.register(registration(gpuId, List.of(skill), gpu("NVIDIA GeForce RTX 4090", 24), null));
        CompletableFuture<Optional<TaskPayload>> cpuPoll = CompletableFuture.supplyAsync(
                () -> cpuWorker.pollTask(Duration.ofSeconds(3), null, null));
        CompletableFuture<Optional<TaskPayload>> gpuPoll = CompletableFuture.supplyAsync(
                () -> gpuWorker.pollTask(PARKED, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.isParked(cpuId) && dispatcher.isParked(gpuId));

        // when a job needing an RTX 4090 with at least 16 GB arrives
        String jobId = submit(skill, Map.of("requirements", Map.of("resources", Map.of("devices",
                List.of(Map.of("type", "gpu", "model", "rtx 4090", "properties", Map.of("vram_gb", 16)))))));

        // then the GPU worker gets it and the CPU worker's poll ends empty
        assertThat(gpuPoll.join()).hasValueSatisfying(task -> assertThat(task.jobId()).isEqualTo(jobId));
        assertThat(cpuPoll.join()).isEmpty();
    }
}
