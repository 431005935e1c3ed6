package io.rxon.orchestrator.workflow;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static org.awaitility.Awaitility.await;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.rxon.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Helpers of the workflow tests: definitions registered and jobs run through the real client API. */
final class Workflows {

    static final List<String> ENDED = List.of("finished", "failed", "cancelled", "quarantined");

    private Workflows() {}

    /** A workflow name no other test uses, so tests sharing one database never see each other's definitions. */
    static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification asClient() {
        return given().header("Authorization", "Bearer " + CLIENT_TOKEN);
    }

    static ValidatableResponse register(String yaml) {
        return asClient().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/workflows").then();
    }

    /** A definition with the standard header; {@code body} is the YAML after it ({@code do: ...}). */
    static String definition(String name, String body) {
        return """
                document:
                  dsl: '1.0.0'
                  namespace: test
                  name: %s
                  version: '1.0.0'
                """.formatted(name) + body;
    }

    static String start(String name, Map<String, Object> input) {
        Map<String, Object> body = new HashMap<>();
        body.put("workflow", name);
        body.put("input", input);
        return asClient().contentType("application/json").body(Json.writeString(body)).when().post("/api/v1/jobs")
                .then().statusCode(202).extract().path("job_id");
    }

    static Map<String, Object> job(String jobId) {
        return asClient().when().get("/api/v1/jobs/" + jobId).then().statusCode(200).extract().as(Map.class);
    }

    /** Waits for the job to end and returns it. */
    static Map<String, Object> ended(String jobId, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> ENDED.contains((String) job(jobId).get("status")));
        return job(jobId);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Map<String, Object> job) {
        return (List<Map<String, Object>>) job.getOrDefault("steps", List.of());
    }
}
