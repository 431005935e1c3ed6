package io.rxon.orchestrator.worker;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.WORKER_TOKEN;
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
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats without an entity load: liveness, status and usage reach the database in batches,
 * skill changes and lease renewals at once, and workers registered through another orchestrator
 * are found.
 */
@QuarkusTest
class WorkerHeartbeatTest {

    private static final Duration FLUSHED = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    WorkerRegistry registry;

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void shouldWriteStatusUsageAndRunningTasksOfAHeartbeatToTheDatabase() {
        // given a registered idle worker
        String workerId = uniqueWorker("telemetry");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("any"));
        long registeredSeen = storedWorker(workerId).getLong("last_seen_at");
        String unknownTask = UUID.randomUUID().toString();

        // when it heartbeats busy, with usage and a task the orchestrator does not know
        HeartbeatResponse response = worker.sendHeartbeat(new Heartbeat(workerId, "busy",
                new ResourcesUsage(42.5, 3.0, null), List.of(unknownTask), null, null, null, null, null, null, now()))
                .orElseThrow();

        // then it is answered as before, and the database catches up with all it said
        assertThat(response.status()).isEqualTo("ok");
        assertThat(response.fullSyncRequested()).isFalse();
        assertThat(response.cancelTaskIdsOrEmpty()).isEmpty();
        Row stored = await().atMost(FLUSHED).until(() -> storedWorker(workerId),
                row -> "busy".equals(row.getString("status")));
        assertThat(stored.getLong("last_seen_at")).isGreaterThanOrEqualTo(registeredSeen);
        assertThat(Json.read(stored.getString("usage"), Map.class)).containsEntry("cpu_load_percent", 42.5);
        assertThat(stored.getArrayOfStrings("current_tasks")).containsExactly(unknownTask);
        assertThat(registry.find(workerId)).hasValueSatisfying(state -> assertThat(state.status()).isEqualTo("busy"));
    }

    @Test
    void shouldKeepStatusAndUsageWhenAnEmptyHeartbeatRefreshesLiveness() {
        // given a worker whose busy heartbeat with usage is stored
        String workerId = uniqueWorker("ttl");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("any"));
        worker.sendHeartbeat(new Heartbeat(workerId, "busy", new ResourcesUsage(7.0, 1.0, null), List.of(), null,
                null, null, null, null, null, now()));
        long seen = await().atMost(FLUSHED).until(() -> storedWorker(workerId),
                row -> "busy".equals(row.getString("status"))).getLong("last_seen_at");

        // when it sends empty heartbeats
        await().atMost(FLUSHED).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(emptyHeartbeat(workerId)).isEqualTo("{\"status\":\"ttl_refreshed\"}");
            return storedWorker(workerId).getLong("last_seen_at") > seen;
        });

        // then only its liveness moved
        Row stored = storedWorker(workerId);
        assertThat(stored.getString("status")).isEqualTo("busy");
        assertThat(Json.read(stored.getString("usage"), Map.class)).containsEntry("cpu_load_percent", 7.0);
    }

    @Test
    void shouldAnswerNullToTheEmptyHeartbeatOfAWorkerNobodyKnows() {
        assertThat(emptyHeartbeat(uniqueWorker("nobody"))).isEqualTo("null");
    }

    @Test
    void shouldAdoptAndStoreTheSkillsAHeartbeatAnnounces() {
        // given a worker registered with one skill
        String workerId = uniqueWorker("learner");
        String oldSkill = uniqueSkill("old");
        String newSkill = uniqueSkill("new");
        Transport worker = registeredWorker(root, workerId, oldSkill);

        // when a heartbeat announces a new catalogue under a new hash
        HeartbeatResponse response = worker.sendHeartbeat(new Heartbeat(workerId, "idle", null, List.of(),
                List.of(SkillInfo.named(newSkill)), List.of(newSkill), null, "hash-2", null, null, now()))
                .orElseThrow();

        // then dispatch offers it the new skill's work at once
        assertThat(response.status()).isEqualTo("ok");
        assertThat(response.fullSyncRequested()).isFalse();
        String jobId = submit(newSkill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        assertThat(task.jobId()).isEqualTo(jobId);
        // and the stored registration has the new skills and kept everything else
        Map<?, ?> stored = Json.read(storedWorker(workerId).getString("registration"), Map.class);
        assertThat(stored.get("skills_hash")).isEqualTo("hash-2");
        assertThat(stored.get("supported_skills")).isEqualTo(List.of(Map.of("name", newSkill)));
        assertThat(stored.get("available_skills")).isEqualTo(List.of(newSkill));
        assertThat(stored.get("capabilities")).isEqualTo(Map.of("hostname", "test-host"));
        assertThat(stored.get("resources")).isEqualTo(Map.of("properties", Map.of("cpu_cores", 4)));
    }

    @Test
    void shouldRenewOnlyTheWorkersOwnLeasesAndTellAnotherToStopThatTask() {
        // given a worker holding a task
        String skill = uniqueSkill("held");
        String ownerId = uniqueWorker("owner");
        Transport owner = registeredWorker(root, ownerId, skill);
        submit(skill, Map.of());
        TaskPayload task = owner.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        long lease = leaseExpiresAt(task.taskId());

        // when another worker reports that task as its own
        String intruderId = uniqueWorker("intruder");
        Transport intruder = registeredWorker(root, intruderId, uniqueSkill("other"));
        HeartbeatResponse intruded = intruder.sendHeartbeat(
                Heartbeat.of(intruderId, "busy", List.of(task.taskId()), now())).orElseThrow();

        // then it is told to stop it and the lease is untouched
        assertThat(intruded.cancelTaskIdsOrEmpty()).containsExactly(task.taskId());
        assertThat(leaseExpiresAt(task.taskId())).isEqualTo(lease);

        // and the owner's heartbeats push its lease forward without a cancel
        await().atMost(FLUSHED).pollInterval(Duration.ofMillis(200)).until(() -> {
            HeartbeatResponse response = owner.sendHeartbeat(
                    Heartbeat.of(ownerId, "busy", List.of(task.taskId()), now())).orElseThrow();
            assertThat(response.cancelTaskIdsOrEmpty()).isEmpty();
            return leaseExpiresAt(task.taskId()) > lease;
        });
    }

    @Test
    void shouldFindAWorkerThatRegisteredThroughAnotherOrchestrator() {
        // given a worker stored by another orchestrator on the same database, unknown to this one
        String workerId = uniqueWorker("elsewhere");
        String skill = uniqueSkill("remote");
        long registeredAt = System.currentTimeMillis();
        Pool other = OtherInstancePool.open(vertx, "rxon-other-instance", 1);
        other.preparedQuery("""
                        INSERT INTO workers (id, registration, status, registered_at, last_seen_at)
                        VALUES ($1, $2::text::jsonb, 'idle', $3, $3)""")
                .execute(Tuple.of(workerId, Json.writeString(registration(workerId, List.of(skill),
                        new Resources(null, Map.of("cpu_cores", 2)), null)), registeredAt))
                .await().atMost(Duration.ofSeconds(10));
        other.closeAndAwait();
        assertThat(registry.find(workerId)).isEmpty();

        // when it heartbeats here
        Transport worker = transport(root, workerId);
        HeartbeatResponse response = worker.sendHeartbeat(Heartbeat.of(workerId, "idle", List.of(), now()))
                .orElseThrow();

        // then it is known without registering again, gets work and its liveness is stored
        assertThat(response.status()).isEqualTo("ok");
        assertThat(response.fullSyncRequested()).isFalse();
        assertThat(registry.find(workerId)).isPresent();
        String jobId = submit(skill, Map.of());
        assertThat(worker.pollTask(Duration.ofSeconds(5), null, null)).hasValueSatisfying(task ->
                assertThat(task.jobId()).isEqualTo(jobId));
        await().atMost(FLUSHED).pollInterval(Duration.ofMillis(200)).until(() -> {
            worker.sendHeartbeat(Heartbeat.of(workerId, "idle", List.of(), now()));
            return storedWorker(workerId).getLong("last_seen_at") > registeredAt;
        });
    }

    @Test
    void shouldAskAWorkerKnownNowhereToRegisterWithoutStoringIt() {
        String workerId = uniqueWorker("stranger");

        HeartbeatResponse response = transport(root, workerId)
                .sendHeartbeat(Heartbeat.of(workerId, "idle", List.of(), now())).orElseThrow();

        assertThat(response.fullSyncRequested()).isTrue();
        assertThat(registry.find(workerId)).isEmpty();
        assertThat(pool.preparedQuery("SELECT id FROM workers WHERE id = $1").execute(Tuple.of(workerId))
                .await().atMost(Duration.ofSeconds(10)).rowCount()).isZero();
    }

    private Row storedWorker(String workerId) {
        return pool.preparedQuery("""
                        SELECT status, last_seen_at, usage::text AS usage, current_tasks, registration::text AS registration
                        FROM workers WHERE id = $1""")
                .execute(Tuple.of(workerId)).await().atMost(Duration.ofSeconds(10)).iterator().next();
    }

    private long leaseExpiresAt(String taskId) {
        return pool.preparedQuery("SELECT lease_expires_at FROM tasks WHERE id = $1").execute(Tuple.of(taskId))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("lease_expires_at");
    }

    /** {@code PATCH /_worker/workers/{id}} with no body; returns the raw answer. */
    private static String emptyHeartbeat(String workerId) {
        return given().header(Protocol.HEADER_WORKER_TOKEN, WORKER_TOKEN)
                .when().patch(Protocol.heartbeatPath(workerId))
                .then().statusCode(200).extract().asString();
    }
}
