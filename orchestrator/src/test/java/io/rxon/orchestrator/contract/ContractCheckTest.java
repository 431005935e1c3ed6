package io.rxon.orchestrator.contract;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator checks skill contracts (PROTOCOL.md §7): params at submit against the input
 * schemas the registered workers declared, successful results against the output schema of the
 * worker that ran the task. Real HTTP, real database, real workers' transport.
 */
@QuarkusTest
class ContractCheckTest {

    private static final Map<String, Object> RESIZE_INPUT = schema("""
            {"type": "object", "required": ["width", "to"],
             "properties": {"width": {"type": "integer", "minimum": 1},
                            "to": {"$ref": "#/$defs/address"}},
             "$defs": {"address": {"type": "string", "format": "email"}}}
            """);

    private static final Map<String, Object> RESIZE_OUTPUT = schema("""
            {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string", "pattern": "^s3://"}}}
            """);

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String json) {
        return Json.read(json, Map.class);
    }

    private Transport workerDeclaring(String skill, Map<String, Object> input, Map<String, Object> output) {
        return workerDeclaring(List.of(new SkillInfo(skill, null, null, null, input, output, null, null, null, null)));
    }

    private Transport workerDeclaring(List<SkillInfo> skills) {
        String workerId = uniqueWorker("contract");
        Transport transport = transport(root, workerId);
        transport.register(new WorkerRegistration(workerId, null, skills, null, null,
                new Resources(null, Map.of("cpu_cores", 4)), null, null,
                new WorkerCapabilities("test-host", null, null, null, null), null, null, null, null));
        return transport;
    }

    private static ValidatableResponse post(String skill, Map<String, Object> params) {
        return given().header("Authorization", "Bearer " + CLIENT_TOKEN).contentType("application/json")
                .body(Json.writeString(Map.of("type", skill, "params", params)))
                .when().post("/api/v1/jobs").then();
    }

    private long storedJobs(String skill) {
        return pool.preparedQuery("SELECT count(*) FROM jobs WHERE type = $1").executeAndAwait(Tuple.of(skill))
                .iterator().next().getLong(0);
    }

    @Test
    void paramsBreakingTheDeclaredInputSchemaShouldBeRefusedWithEveryViolationAndNothingStored() {
        // given a worker whose skill declares an input schema
        String skill = uniqueSkill("resize");
        workerDeclaring(skill, RESIZE_INPUT, null);

        // when a client submits params with a wrong type and a missing property
        post(skill, Map.of("width", "wide"))

                // then it is refused as bad input, every violation listed with its JSON path
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_INPUT_ERROR"))
                .body("detail", containsString("input schema of skill '" + skill + "'"))
                .body("violations", hasSize(2))
                .body("violations", hasItem(containsString("$.width")))
                .body("violations", hasItem(containsString("'to'")));

        // and no job was stored
        assertThat(storedJobs(skill)).isZero();
    }

    @Test
    void aSchemaShouldBeCheckedThroughItsRefsAndFormats() {
        // given a worker whose input schema reaches the e-mail format through a $ref
        String skill = uniqueSkill("mail");
        workerDeclaring(skill, RESIZE_INPUT, null);

        // when the address is not an e-mail address, then the violation names it
        post(skill, Map.of("width", 10, "to", "nobody"))
                .statusCode(400).body("violations", hasSize(1)).body("violations[0]", containsString("$.to"));

        // and when it is one, the job is accepted
        post(skill, Map.of("width", 10, "to", "ops@example.org")).statusCode(202);
        assertThat(storedJobs(skill)).isEqualTo(1);
    }

    @Test
    void paramsShouldBeAcceptedWhenTheyMatchTheSchemaOfAtLeastOneWorker() {
        // given two workers declaring different input schemas for one skill
        String skill = uniqueSkill("either");
        workerDeclaring(skill, schema("{\"type\": \"object\", \"required\": [\"a\"]}"), null);
        workerDeclaring(skill, schema("{\"type\": \"object\", \"required\": [\"b\"]}"), null);

        // when params match only the second, then the job is accepted (that worker can run it)
        post(skill, Map.of("b", 1)).statusCode(202);

        // and when they match neither, it is refused naming each schema's violation
        post(skill, Map.of("c", 1)).statusCode(400)
                .body("detail", containsString("none of the 2 input schemas"))
                .body("violations", hasSize(2));
        assertThat(storedJobs(skill)).isEqualTo(1);
    }

    @Test
    void aSkillWithoutADeclaredSchemaShouldTakeAnyParams() {
        // given a worker whose skill declares no schema
        String skill = uniqueSkill("free");
        registeredWorker(root, uniqueWorker("free"), skill);

        // when anything is submitted, then it is accepted as before
        String jobId = submit(skill, Map.of("params", Map.of("width", "wide", "nested", List.of(1, "x"))));
        assertThat(job(jobId).get("status")).isEqualTo("waiting_for_worker");
    }

    @Test
    void aResultBreakingTheWorkersOutputSchemaShouldFailTheTaskWithAContractViolation() {
        // given a worker running a job of a skill with an output schema
        String skill = uniqueSkill("out");
        Transport worker = workerDeclaring(skill, null, RESIZE_OUTPUT);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when it reports success with data that breaks the schema
        worker.sendResult(TaskResult.success(task, worker.workerId(), Map.of("uri", "http://elsewhere/x"),
                Instant.now().getEpochSecond()));

        // then the task failed with CONTRACT_VIOLATION_ERROR naming the path, which quarantines the job
        Map<String, Object> job = job(jobId);
        assertThat(job.get("status")).isEqualTo("quarantined");
        assertThat(job.get("error").toString()).contains("CONTRACT_VIOLATION_ERROR").contains("$.uri");
    }

    @Test
    void aResultMatchingTheOutputSchemaShouldSucceedAsBefore() {
        // given a worker running a job of a skill with an output schema
        String skill = uniqueSkill("ok");
        Transport worker = workerDeclaring(skill, null, RESIZE_OUTPUT);
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when its data follows the schema
        worker.sendResult(TaskResult.success(task, worker.workerId(), Map.of("uri", "s3://bucket/out.png"),
                Instant.now().getEpochSecond()));

        // then the job succeeds with the data
        Map<String, Object> job = job(jobId);
        assertThat(job.get("status")).isEqualTo("finished");
        assertThat(job.get("result")).isEqualTo(Map.of("uri", "s3://bucket/out.png"));
    }

    @Test
    void aResultShouldBeCheckedAgainstTheSchemaOfItsOwnSkillOnly() {
        // given a worker with two skills whose output schemas differ
        String resize = uniqueSkill("resize");
        String count = uniqueSkill("count");
        Transport worker = workerDeclaring(List.of(
                new SkillInfo(resize, null, null, null, null, RESIZE_OUTPUT, null, null, null, null),
                new SkillInfo(count, null, null, null, null, schema("{\"required\": [\"count\"]}"), null, null, null,
                        null)));
        String jobId = submit(resize, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when it returns data that fits its own skill's schema but not the other's
        worker.sendResult(TaskResult.success(task, worker.workerId(), Map.of("uri", "s3://bucket/a.png"),
                Instant.now().getEpochSecond()));

        // then the job succeeds
        assertThat(job(jobId).get("status")).isEqualTo("finished");
    }
}
