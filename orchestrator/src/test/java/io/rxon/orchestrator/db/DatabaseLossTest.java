package io.rxon.orchestrator.db;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.registration;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.Resources;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.cluster.ClusterBroadcast;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Losing the embedded PostgreSQL is survivable: while it is down every call is answered 503 with
 * {@code Retry-After} (never 500), readiness says so within a second and liveness stays up; its
 * supervisor restarts it on the same port and everything works again, the cluster listener included.
 * The test database is supervised like the orchestrator's, with a 3 s delay before the restart
 * ({@code PostgresTestResource.RESTART_DELAY}) so that the outage can be watched. A frozen server
 * (SIGSTOP) is not restarted, but readiness does not hang on it.
 */
@QuarkusTest
class DatabaseLossTest {

    private static final Duration READINESS_BUDGET = Duration.ofSeconds(1);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @Inject
    ClusterBroadcast broadcast;

    @Test
    void shouldAnswer503WhileTheEmbeddedDatabaseIsDeadAndRecoverByItself() {
        // given a job accepted while the database runs
        String skill = uniqueSkill("loss");
        String before = submit(skill, Map.of());
        EmbeddedDatabaseSupervisor supervisor = EmbeddedDatabaseSupervisor.active().orElseThrow();
        long killedPid = supervisor.database().postmasterPid();

        // when its server is killed
        assertThat(ProcessHandle.of(killedPid).orElseThrow().destroyForcibly()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !supervisor.health().running());

        // then clients get 503 with Retry-After, workers too, readiness is down at once and liveness up
        given().header("Authorization", "Bearer " + CLIENT_TOKEN).contentType("application/json")
                .body("{\"type\":\"" + skill + "\"}")
                .when().post("/api/v1/jobs")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "2")
                .body("code", equalTo("DEPENDENCY_ERROR"));
        given().header("Authorization", "Bearer " + CLIENT_TOKEN).when().get("/api/v1/jobs/" + before)
                .then().statusCode(503).body("code", equalTo("DEPENDENCY_ERROR"));
        Transport worker = transport(root, uniqueWorker("loss"));
        assertThatThrownBy(() -> worker.register(registration(worker.workerId(), List.of(skill),
                new Resources(null, Map.of("cpu_cores", 1)), null)))
                .isInstanceOfSatisfying(RxonException.class, refused -> {
                    assertThat(refused.httpStatus()).contains(503);
                    assertThat(refused.getMessage()).contains("DEPENDENCY_ERROR");
                });
        assertReadiness(503);
        given().when().get("/q/health/live").then().statusCode(200);
        assertThat(supervisor.health().running()).as("still within the outage").isFalse();

        // and once the supervisor restarted it, on the same port, everything works again
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertReadiness(200));
        assertThat(supervisor.database().postmasterPid()).isNotEqualTo(killedPid);
        // (whether the job accepted before the kill survived is DatabaseKillIT's question: this test
        // database commits asynchronously, so the last commits before a kill may be lost here)
        assertThat(job(submit(skill, Map.of()))).containsEntry("status", "waiting_for_worker");
        given().when().get("/q/health/live").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(this::clusterListenerListensAgain);
    }

    @Test
    void shouldAnswerReadinessWithinASecondWhileTheDatabaseIsFrozenAndCarryOnAfterwards() throws Exception {
        // given a running database and a job accepted by it
        String before = submit(uniqueSkill("freeze"), Map.of());
        ProcessHandle postmaster = ProcessHandle.of(EmbeddedDatabaseSupervisor.active().orElseThrow().database()
                .postmasterPid()).orElseThrow();
        List<ProcessHandle> frozen = new ArrayList<>(postmaster.descendants().toList());
        frozen.add(0, postmaster);

        // when the server and all its processes are stopped (SIGSTOP): connections open, nothing answers
        signal("-STOP", frozen);
        try {
            // then readiness still answers within a second, down, and liveness up
            assertReadiness(503);
            given().when().get("/q/health/live").then().statusCode(200);
        } finally {
            signal("-CONT", frozen);
        }

        // and once it runs on, so does everything else, without a restart
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertReadiness(200));
        assertThat(job(before)).containsEntry("status", "waiting_for_worker");
        assertThat(postmaster.isAlive()).isTrue();
    }

    /** Sends a signal with kill(1): the JDK can only terminate processes. */
    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Readiness answers within its budget, with the expected status. */
    private static void assertReadiness(int status) {
        long start = System.nanoTime();
        Response response = given().when().get("/q/health/ready");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).as("readiness: %s", response.asString()).isEqualTo(status);
        assertThat(took).isLessThan(READINESS_BUDGET);
    }

    /** The LISTEN connection of {@code DatabaseNotifications} reconnected and listened again. */
    private boolean clusterListenerListensAgain() {
        return pool.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
                        + " AND query LIKE '%LISTEN%'")
                .execute(Tuple.of(broadcast.instance() + "-listener"))
                .map(rows -> rows.iterator().next().getLong(0) == 1)
                .await().atMost(Duration.ofSeconds(5));
    }
}
