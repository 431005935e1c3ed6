package io.rxon.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.MockTransport;
import io.rxon.common.transport.Transport;
import io.rxon.worker.runtime.WorkerRuntime;
import io.rxon.worker.skill.SkillRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The packaged wiring: configuration, skill beans, runtime, health and metrics, with the
 * in-memory orchestrator of the test profile ({@code mock://test}).
 */
@QuarkusTest
class WorkerApplicationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Inject
    Transport transport;

    @Inject
    WorkerRuntime runtime;

    @Inject
    SkillRegistry skills;

    private MockTransport orchestrator() {
        return (MockTransport) transport;
    }

    private WorkerRegistration registration() {
        await().atMost(PATIENCE).until(() -> !orchestrator().registrations().isEmpty());
        return orchestrator().registrations().get(0);
    }

    @Test
    void shouldOfferTheBuiltInSkillsAndEverySkillBean() {
        assertThat(skills.names()).containsExactly("echo", "sha256", "sleep", "word_count");
    }

    @Test
    void shouldRegisterWithConfiguredDevicesPropertiesAndSoftware() {
        // when the worker has registered
        WorkerRegistration registration = registration();

        // then it carries its configured id, the sensor with typed properties, host facts and software
        assertThat(registration.workerId()).isEqualTo("quarkus-test-worker");
        assertThat(registration.resources().devices()).contains(
                new HardwareDevice("sensor", "BME280", "thermo", Map.of("range_c", 85L), null));
        assertThat(registration.resources().properties()).containsEntry("location", "lab-1")
                .containsEntry("cpu_cores", Runtime.getRuntime().availableProcessors()).containsKey("ram_gb");
        assertThat(registration.installedSoftware()).containsEntry("ffmpeg", "6.1").containsKey("java");
        assertThat(registration.capabilities().extra()).containsEntry(Protocol.EXTRA_WEBSOCKETS, false)
                .doesNotContainKey(Protocol.EXTRA_PUSH_DISPATCH);
        assertThat(registration.skillsHash()).isEqualTo(skills.skillsHash());
        assertThat(registration.supportedSkills()).extracting(s -> s.name()).contains("word_count");
    }

    @Test
    void shouldRunTasksAndCountThemInTheMetrics() {
        // given a registered worker
        registration();

        // when the orchestrator hands out a word count
        orchestrator().pushTask(TaskPayload.of("j-app", "t-words", "word_count",
                Map.of("text", "the cat and the hat", "top", 1)));

        // then the result arrives and the metrics count it
        await().atMost(PATIENCE).until(() -> resultOf("t-words").isPresent());
        TaskResult result = resultOf("t-words").orElseThrow();
        assertThat(result.data()).containsEntry("words", 5);
        assertThat(result.data().get("top").toString()).contains("the");
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("rxon_worker_tasks_total{skill=\"word_count\",status=\"success\"}"))
                .body(containsString("rxon_worker_task_duration_seconds_count{skill=\"word_count\""))
                .body(containsString("rxon_worker_slots_free"));
    }

    @Test
    void shouldBeLiveAndReadyOnceRegistered() {
        registration();
        await().atMost(PATIENCE).until(runtime::isReady);
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks[0].data.registered", is(true));
    }

    private Optional<TaskResult> resultOf(String taskId) {
        return orchestrator().results().stream().filter(r -> r.taskId().equals(taskId)).findFirst();
    }
}
