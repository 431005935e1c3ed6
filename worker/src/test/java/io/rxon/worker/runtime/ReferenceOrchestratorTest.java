package io.rxon.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.skill.builtin.SleepSkill;
import io.rxon.worker.testing.ReferenceOrchestrator;
import io.rxon.worker.testing.ReferenceOrchestrator.Mode;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code ws://} worker, configured as in production (socket and push wanted, default ack
 * timeout, 15 s heartbeats), against orchestrators that do not push, over real HTTP and WebSocket
 * connections on 127.0.0.1: it must get its work by long-poll and send only reference frames.
 */
class ReferenceOrchestratorTest {

    private static final String TOKEN = "reference-worker-token";
    private static final String WORKER_ID = "w-reference";
    private static final int JOBS = 20;

    private static Vertx vertx;
    private ReferenceOrchestrator orchestrator;
    private WorkerRuntime worker;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.drain();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private void startWorker() {
        TransportOptions options = TransportOptions.builder().token(TOKEN)
                .signing(new MessageSigning(new HmacSigner(TOKEN), WORKER_ID)).resultRetries(1).build();
        Transport transport = Transports.create(orchestrator.socketUrl(), WORKER_ID, options);
        assertThat(transport.socketPreferred()).isTrue();
        RuntimeSettings settings = new RuntimeSettings(2, Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(45), true, true);
        worker = new WorkerRuntime(settings, transport,
                SkillRegistry.of(List.of(new EchoSkill(), new SleepSkill()), Set.of()),
                WorkerProfile.minimal("test-host"), HostTelemetry.hostOnly(), WorkerMetrics.inMemory(),
                Clock.systemUTC());
        worker.start();
    }

    private void enqueueJobs() {
        for (int i = 0; i < JOBS; i++) {
            // a few sleeps, which report progress events, among the echoes
            if (i % 5 == 0) {
                orchestrator.enqueue("j-" + i, "t-" + i, "sleep", Map.of("seconds", 0.3));
            } else {
                orchestrator.enqueue("j-" + i, "t-" + i, "echo", Map.of("i", i));
            }
        }
    }

    @Test
    void shouldFinishEveryJobByLongPollAndSendOnlyReferenceEventsOverTheSocketWhenTheOrchestratorDoesNotPush()
            throws Exception {
        // given the reference orchestrator and a ws:// worker whose socket is open
        orchestrator = ReferenceOrchestrator.start(vertx, TOKEN, Mode.REFERENCE);
        startWorker();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.isSocketOpen());

        // when twenty jobs are queued
        enqueueJobs();

        // then all finish within normal latency, results over HTTP
        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.latencies().size() == JOBS);
        assertThat(orchestrator.latencies().values()).allSatisfy(millis -> assertThat(millis).isLessThan(5_000));
        assertThat(orchestrator.calls("result")).hasSize(JOBS);
        assertThat(orchestrator.pollsReceived()).isGreaterThanOrEqualTo(JOBS);
        assertThat(worker.isPushActive()).isFalse();

        // and the socket carried the progress events, each one a signed, timestamped reference event, and nothing else
        assertThat(orchestrator.frames()).isNotEmpty();
        assertThat(orchestrator.frames()).allSatisfy(frame ->
                assertThat(frame.problem()).as("frame %s", frame.text()).isNull());
        assertThat(orchestrator.refusals()).isEmpty();
        assertThat(orchestrator.socketsOpened()).isEqualTo(1);
    }

    @Test
    void shouldSendTheFirstHeartbeatRightAfterRegisteringNotAnIntervalLater() throws Exception {
        // given a worker with 15 s heartbeats
        orchestrator = ReferenceOrchestrator.start(vertx, TOKEN, Mode.REFERENCE);

        // when it registers
        startWorker();
        await().atMost(Duration.ofSeconds(10)).until(() -> !orchestrator.calls("register").isEmpty());

        // then a heartbeat follows within a couple of seconds
        await().atMost(Duration.ofSeconds(3)).until(() -> !orchestrator.calls("heartbeat").isEmpty());
        long registeredAt = orchestrator.calls("register").get(0).atMillis();
        long beatAt = orchestrator.calls("heartbeat").get(0).atMillis();
        assertThat(beatAt - registeredAt).isBetween(0L, 2_000L);
        assertThat(orchestrator.calls("heartbeat").get(0).body().path("status").asText()).isEqualTo("idle");
    }

    @Test
    void shouldFallBackToLongPollWithinSecondsWhenAnOrchestratorThatConsentedToPushStopsAnswering()
            throws Exception {
        // given an orchestrator that consents to push but answers no credit, and a worker that granted credits
        orchestrator = ReferenceOrchestrator.start(vertx, TOKEN, Mode.SILENT_ON_CREDITS);
        startWorker();
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.frames().stream()
                .anyMatch(frame -> frame.text().contains("\"credit\"")));
        long creditedAt = System.currentTimeMillis();

        // when jobs are queued for long-poll
        enqueueJobs();

        // then the worker is back on long-poll within seconds (3 s ack timeout), and every job finishes by poll
        await().atMost(Duration.ofSeconds(6)).until(() -> !worker.isPushActive() && orchestrator.socketsOpened() == 2);
        assertThat(System.currentTimeMillis() - creditedAt).isLessThan(6_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.latencies().size() == JOBS);
        assertThat(orchestrator.latencies().values()).allSatisfy(millis -> assertThat(millis).isLessThan(10_000));
        assertThat(orchestrator.refusals()).isEmpty();
    }

    @Test
    void shouldPostTheResultAndFallBackToLongPollWhenAPushingOrchestratorStopsAcknowledgingResults()
            throws Exception {
        // given an orchestrator that pushes against credits but answers no result frame
        orchestrator = ReferenceOrchestrator.start(vertx, TOKEN, Mode.SILENT_ON_RESULTS);
        startWorker();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.isPushActive());

        // when a job is pushed
        orchestrator.enqueue("j-pushed", "t-pushed", "echo", Map.of("pushed", true));

        // then its result frame goes unanswered, so it is posted over HTTP within seconds, and push is off
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.latencies().containsKey("t-pushed"));
        assertThat(orchestrator.latencies().get("t-pushed")).isBetween(2_000L, 6_000L);
        assertThat(orchestrator.frames()).anySatisfy(frame -> assertThat(frame.text()).contains("\"frame\":\"result\""));
        await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isPushActive() && orchestrator.socketsOpened() == 2);

        // and later jobs come by long-poll
        enqueueJobs();
        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.latencies().size() == JOBS + 1);
        assertThat(orchestrator.refusals()).isEmpty();
    }
}
