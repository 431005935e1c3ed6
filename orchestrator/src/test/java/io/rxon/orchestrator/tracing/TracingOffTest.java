package io.rxon.orchestrator.tracing;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without {@code RXON_OTLP_ENDPOINT} (the default, and every test profile but the e2e tracing test)
 * tracing costs nothing: a client's {@code traceparent} is neither stored with the job nor put on
 * its task, and the client's own metadata reaches the worker unchanged.
 */
@QuarkusTest
class TracingOffTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void givenTracingOffWhenAJobIsSubmittedWithATraceparentThenItsTaskCarriesNoTraceAndUnchangedMetadata() {
        String skill = uniqueSkill("untraced");
        String workerId = uniqueWorker("untraced");
        try (Transport worker = registeredWorker(root, workerId, skill)) {
            String jobId = given().header("Authorization", "Bearer " + CLIENT_TOKEN)
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .contentType("application/json")
                    .body(Json.writeString(Map.of("type", skill, "metadata", Map.of("origin", "test"))))
                    .when().post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

            TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

            assertThat(task.jobId()).isEqualTo(jobId);
            assertThat(task.tracingContext() == null ? Map.of() : task.tracingContext()).isEmpty();
            assertThat(task.metadata()).isEqualTo(Map.of("origin", "test"));
        }
    }
}
