package io.rxon.orchestrator.uplink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import io.rxon.orchestrator.testing.ReferenceParent;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * This orchestrator as the region of a three-level holarchy: a reference-behaving parent above it
 * (real HTTP, signatures checked), real workers below it over the real transport. Tasks flow down
 * with their requirements and depth, results and events flow up with the leaf as their origin.
 */
@QuarkusTest
@TestProfile(UplinkProfile.class)
class UplinkTest {

    private static final ReferenceParent PARENT = UplinkProfile.PARENT;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL root;

    @Test
    void shouldRegisterWithTheParentWithItsFleetsSkillsAndDevicesAndAgainWhenTheyChange() {
        // given a GPU worker with one skill in this orchestrator's fleet
        String render = Fixtures.uniqueSkill("render");
        String gpuLeaf = Fixtures.uniqueWorker("gpu-leaf");
        Transport gpu = Fixtures.transport(root, gpuLeaf);
        gpu.register(Fixtures.registration(gpuLeaf, List.of(render), Fixtures.gpu("NVIDIA RTX 4090", 24), null));

        // then the parent sees this orchestrator registered as an orchestrator offering that skill and GPU
        JsonNode first = await().atMost(WAIT).until(() -> latestOffering(render), Optional::isPresent).get();
        assertThat(first.path("worker_id").asText()).isEqualTo(UplinkProfile.REGION_ID);
        assertThat(first.path("worker_type").asText()).isEqualTo("orchestrator");
        assertThat(first.path("capabilities").path("extra").path("rxon_orchestrator").asBoolean()).isTrue();
        assertThat(first.path("resources").path("devices").toString()).contains("RTX 4090").contains("\"vram_gb\":24");

        // when a CPU worker with another skill joins
        String crunch = Fixtures.uniqueSkill("crunch");
        Fixtures.registeredWorker(root, Fixtures.uniqueWorker("cpu-leaf"), crunch);

        // then the parent receives a new registration with both skills
        JsonNode second = await().atMost(WAIT).until(() -> latestOffering(crunch), Optional::isPresent).get();
        assertThat(skillNames(second)).contains(render, crunch);
        assertThat(PARENT.heartbeats).isNotEmpty();
    }

    @Test
    void shouldRunAParentTaskOnTheMatchingLeafAndSendItsResultAndEventsUpWithTheLeafAsOrigin() {
        // given a CPU worker and a GPU worker with the same skill below this orchestrator
        String skill = Fixtures.uniqueSkill("infer");
        String cpuLeaf = Fixtures.uniqueWorker("cpu-leaf");
        String gpuLeaf = Fixtures.uniqueWorker("gpu-leaf");
        Transport cpu = Fixtures.registeredWorker(root, cpuLeaf, skill);
        Transport gpu = Fixtures.transport(root, gpuLeaf);
        gpu.register(Fixtures.registration(gpuLeaf, List.of(skill), Fixtures.gpu("NVIDIA A100", 80), null));
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);

        // when the parent hands down a task that needs a GPU with 40 GB
        String parentJob = UUID.randomUUID().toString();
        String parentTask = UUID.randomUUID().toString();
        PARENT.offer(task(parentJob, parentTask, skill, Map.of("prompt", "hello"),
                Map.of("resources", Map.of("devices", List.of(Map.of("type", "gpu",
                        "properties", Map.of("vram_gb", 40))))), 0, null));

        // then only the GPU worker gets it, one level deeper and with this orchestrator on its identity chain
        assertThat(cpu.pollTask(Duration.ofSeconds(1), List.of(skill), null)).isEmpty();
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> gpu.pollTask(Duration.ofSeconds(1), List.of(skill), null), Optional::isPresent).get();
        assertThat(leafTask.params()).containsEntry("prompt", "hello");
        assertThat(leafTask.depth()).isEqualTo(1);
        assertThat(leafTask.security().identityChain()).containsExactly(UplinkProfile.REGION_ID);
        assertThat(leafTask.extra()).doesNotContainKey("requirements");

        // when the leaf reports progress and then its result
        String eventId = UUID.randomUUID().toString();
        gpu.emitEvent(WorkerEventPayload.progress(eventId, gpuLeaf, leafTask, 0.5, "half way",
                Instant.now().getEpochSecond()));
        gpu.sendResult(io.rxon.common.protocol.TaskResult.success(leafTask, gpuLeaf, Map.of("answer", 42),
                Instant.now().getEpochSecond()));

        // then the parent receives both, signed by this orchestrator and crediting the leaf
        JsonNode event = await().atMost(WAIT).until(() -> PARENT.eventsFor(parentTask), list -> !list.isEmpty())
                .get(0);
        assertThat(event.path("event_id").asText()).isEqualTo(eventId);
        assertThat(event.path("worker_id").asText()).isEqualTo(UplinkProfile.REGION_ID);
        assertThat(event.path("origin_worker_id").asText()).isEqualTo(gpuLeaf);
        assertThat(texts(event.path("bubbling_chain"))).containsExactly(UplinkProfile.REGION_ID);
        assertThat(event.path("target_job_id").asText()).isEqualTo(parentJob);
        assertThat(event.path("payload").path("progress").asDouble()).isEqualTo(0.5);
        JsonNode result = await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask), list -> !list.isEmpty())
                .get(0);
        assertThat(result.path("job_id").asText()).isEqualTo(parentJob);
        assertThat(result.path("worker_id").asText()).isEqualTo(UplinkProfile.REGION_ID);
        assertThat(result.path("origin_worker_id").asText()).isEqualTo(gpuLeaf);
        assertThat(result.path("data").path("answer").asInt()).isEqualTo(42);
        assertThat(result.has("status")).as("success is the default and omitted, as the reference does").isFalse();
        assertThat(PARENT.refused).isEmpty();
    }

    @Test
    void shouldKeepAResultUntilTheParentTakesItAndRunARepeatedTaskOnlyOnce() {
        // given a worker and a parent that answers results with 503
        String skill = Fixtures.uniqueSkill("durable");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);
        PARENT.resultsDown(true);
        try {
            String parentTask = UUID.randomUUID().toString();
            TaskPayload task = task(UUID.randomUUID().toString(), parentTask, skill, Map.of(), null, 0, null);
            PARENT.offer(task);
            TaskPayload leafTask = await().atMost(WAIT).until(
                    () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), Optional::isPresent).get();

            // when the leaf finishes while results cannot reach the parent, and the parent hands the task out again
            leaf.sendResult(io.rxon.common.protocol.TaskResult.success(leafTask, leafId, Map.of("n", 1),
                    Instant.now().getEpochSecond()));
            PARENT.offer(task);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> PARENT.resultsFor(parentTask).isEmpty());

            // then the result arrives once the parent takes results again, and the repeat ran nowhere
            PARENT.resultsDown(false);
            await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask).size() == 1);
            assertThat(leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null)).isEmpty();
        } finally {
            PARENT.resultsDown(false);
        }
    }

    @Test
    void shouldKeepEventsWhileTheParentCannotTakeThemAndSendThemInOrderBeforeTheResult() {
        // given a leaf running a parent task, and a parent that answers events and results with 503
        String skill = Fixtures.uniqueSkill("chatty");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);
        String parentTask = UUID.randomUUID().toString();
        PARENT.offer(task(UUID.randomUUID().toString(), parentTask, skill, Map.of(), null, 0, null));
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), Optional::isPresent).get();
        PARENT.eventsDown(true);
        PARENT.resultsDown(true);
        try {
            // when the leaf reports progress five times and finishes while the parent is unreachable
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String eventId = UUID.randomUUID().toString();
                sent.add(eventId);
                assertThat(leaf.emitEvent(WorkerEventPayload.progress(eventId, leafId, leafTask, i / 10.0, "step " + i,
                        Instant.now().getEpochSecond()))).isTrue();
            }
            leaf.sendResult(io.rxon.common.protocol.TaskResult.success(leafTask, leafId, Map.of("steps", 5),
                    Instant.now().getEpochSecond()));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> PARENT.eventsFor(parentTask).isEmpty() && PARENT.resultsFor(parentTask).isEmpty());

            // then once the parent is back it receives every event, in order, and the result only after them
            PARENT.eventsDown(false);
            PARENT.resultsDown(false);
            await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask).size() == 1);
            assertThat(PARENT.eventsFor(parentTask)).extracting(event -> event.path("event_id").asText())
                    .containsExactlyElementsOf(sent);
            assertThat(PARENT.eventsFor(parentTask)).allSatisfy(event -> {
                assertThat(event.path("origin_worker_id").asText()).isEqualTo(leafId);
                assertThat(texts(event.path("bubbling_chain"))).containsExactly(UplinkProfile.REGION_ID);
            });
            JsonNode lastEvent = PARENT.eventsFor(parentTask).get(4);
            assertThat(PARENT.arrivalOf(lastEvent)).isNotNegative().isLessThan(PARENT.arrivalOf(PARENT.resultsFor(parentTask).get(0)));
        } finally {
            PARENT.eventsDown(false);
            PARENT.resultsDown(false);
        }
    }

    @Test
    void shouldJoinTheRunningLocalJobWhenTheParentDispatchesItsJobAgain() {
        // given a leaf running the task of a parent job
        String skill = Fixtures.uniqueSkill("again");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);
        String parentJob = UUID.randomUUID().toString();
        String expired = UUID.randomUUID().toString();
        PARENT.offer(task(parentJob, expired, skill, Map.of(), null, 0, null));
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), Optional::isPresent).get();

        // when the parent, whose lease on that task ran out, hands the same job out again as a new task and cancels the old one
        String again = UUID.randomUUID().toString();
        PARENT.offer(task(parentJob, again, skill, Map.of(), null, 0, null));
        await().atMost(WAIT).until(() -> PARENT.heartbeats.stream().anyMatch(beat -> texts(beat.path("current_tasks"))
                .contains(again)));
        PARENT.cancel(expired);
        await().atMost(WAIT).until(PARENT::cancelsDelivered);
        int beats = PARENT.heartbeats.size();
        await().atMost(WAIT).until(() -> PARENT.heartbeats.size() > beats);
        assertThat(leaf.sendHeartbeat(Heartbeat.of(leafId, "busy", List.of(leafTask.taskId()),
                Instant.now().getEpochSecond())).orElseThrow().cancelTaskIdsOrEmpty()).isEmpty();
        assertThat(leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null)).isEmpty();

        // then the work runs once: the leaf finishes its task, and both parent tasks get its result
        assertThat(leaf.sendResult(io.rxon.common.protocol.TaskResult.success(leafTask, leafId, Map.of("once", true),
                Instant.now().getEpochSecond()))).isTrue();
        await().atMost(WAIT).until(() -> PARENT.resultsFor(again).size() == 1 && PARENT.resultsFor(expired).size() == 1);
        assertThat(PARENT.resultsFor(again).get(0).path("data").path("once").asBoolean()).isTrue();
        assertThat(PARENT.resultsFor(again).get(0).path("origin_worker_id").asText()).isEqualTo(leafId);
    }

    @Test
    void shouldCancelTheLeafsTaskWhenTheParentCancels() {
        // given a leaf running a task that came from the parent
        String skill = Fixtures.uniqueSkill("long");
        String leafId = Fixtures.uniqueWorker("leaf");
        Transport leaf = Fixtures.registeredWorker(root, leafId, skill);
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);
        String parentTask = UUID.randomUUID().toString();
        PARENT.offer(task(UUID.randomUUID().toString(), parentTask, skill, Map.of(), null, 0, null));
        TaskPayload leafTask = await().atMost(WAIT).until(
                () -> leaf.pollTask(Duration.ofSeconds(1), List.of(skill), null), Optional::isPresent).get();

        // when the parent cancels its task
        PARENT.cancel(parentTask);

        // then the leaf is told to stop its task, and the parent hears the task was cancelled
        await().atMost(WAIT).until(() -> leaf.sendHeartbeat(Heartbeat.of(leafId, "busy",
                List.of(leafTask.taskId()), Instant.now().getEpochSecond())).orElseThrow().cancelTaskIdsOrEmpty()
                .contains(leafTask.taskId()));
        JsonNode result = await().atMost(WAIT).until(() -> PARENT.resultsFor(parentTask), list -> !list.isEmpty())
                .get(0);
        assertThat(result.path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void shouldRefuseTasksThatLoopBackOrGoTooDeepWithAPermanentError() {
        // given a skill in the fleet
        String skill = Fixtures.uniqueSkill("looped");
        Fixtures.registeredWorker(root, Fixtures.uniqueWorker("leaf"), skill);
        await().atMost(WAIT).until(() -> latestOffering(skill), Optional::isPresent);

        // when the parent hands down a task that already passed through this orchestrator, and one too deep
        String looped = UUID.randomUUID().toString();
        PARENT.offer(task(UUID.randomUUID().toString(), looped, skill, Map.of(), null, 0,
                List.of("root", UplinkProfile.REGION_ID, "other-region")));
        String deep = UUID.randomUUID().toString();
        PARENT.offer(task(UUID.randomUUID().toString(), deep, skill, Map.of(), null, 9, null));

        // then both come back as permanent failures naming the reason
        JsonNode loop = await().atMost(WAIT).until(() -> PARENT.resultsFor(looped), list -> !list.isEmpty()).get(0);
        assertThat(loop.path("status").asText()).isEqualTo("failure");
        assertThat(loop.path("error").path("code").asText()).isEqualTo("PERMANENT_ERROR");
        assertThat(loop.path("error").path("details").path("reason").asText()).isEqualTo("holarchy_loop");
        JsonNode tooDeep = await().atMost(WAIT).until(() -> PARENT.resultsFor(deep), list -> !list.isEmpty()).get(0);
        assertThat(tooDeep.path("error").path("details").path("reason").asText())
                .isEqualTo("holarchy_depth_exceeded");
    }

    @Test
    void shouldRefuseTheClientApiInPureHolonMode() {
        // given pure holon mode (RXON_CLIENT_API_ENABLED=false)
        // when a client submits a job
        // then it is refused with a problem naming the reason, and the worker API still answers
        given().header("Authorization", "Bearer " + Fixtures.CLIENT_TOKEN).contentType(ContentType.JSON)
                .body("{\"type\":\"echo\"}").when().post("/api/v1/jobs")
                .then().statusCode(403).body("detail", org.hamcrest.Matchers.containsString("RXON_CLIENT_API_ENABLED"));
        given().header("Authorization", "Bearer " + Fixtures.CLIENT_TOKEN).when().get("/api/v1/workers")
                .then().statusCode(200);
    }

    private static TaskPayload task(String jobId, String taskId, String type, Map<String, Object> params,
            Map<String, Object> requirements, int depth, List<String> chain) {
        Map<String, Object> extra = new HashMap<>();
        if (requirements != null) {
            extra.put("requirements", requirements);
        }
        SecurityContext security = chain == null ? null : new SecurityContext(null, null, chain, null);
        return new TaskPayload(jobId, taskId, type, params, null, null, 0.0, null, security, null,
                Instant.now().getEpochSecond(), null, null, 0, depth, null, extra);
    }

    /** The latest registration the parent received that offers {@code skill}. */
    private static Optional<JsonNode> latestOffering(String skill) {
        List<JsonNode> registrations = new ArrayList<>(PARENT.registrations);
        for (int i = registrations.size() - 1; i >= 0; i--) {
            if (skillNames(registrations.get(i)).contains(skill)) {
                return Optional.of(registrations.get(i));
            }
        }
        return Optional.empty();
    }

    private static List<String> skillNames(JsonNode registration) {
        return StreamSupport.stream(registration.path("supported_skills").spliterator(), false)
                .map(skill -> skill.path("name").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
