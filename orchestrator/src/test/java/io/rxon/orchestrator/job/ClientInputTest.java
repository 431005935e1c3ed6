package io.rxon.orchestrator.job;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.OTHER_CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the client API does with input an attacker or a careless client sends: every such request
 * is answered 400 (or 404) with a problem body naming what is wrong, never 500, and stores nothing.
 */
@QuarkusTest
class ClientInputTest {

    /** A client no other test submits for, so its job count changes only by this test's submissions. */
    private static final String COUNTED_CLIENT_TOKEN = "fourth-client-token";

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static int storedJobs() {
        List<?> jobs = as(COUNTED_CLIENT_TOKEN).queryParam("limit", 500).when().get("/api/v1/jobs")
                .then().statusCode(200).extract().path("jobs");
        return jobs.size();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUL in a param value      | {\"type\":\"echo\",\"params\":{\"text\":\"a\\u0000b\"}}   | params.text",
            "NUL in a param key        | {\"type\":\"echo\",\"params\":{\"a\\u0000\":1}}           | params.a\\u0000",
            "lone surrogate            | {\"type\":\"echo\",\"params\":{\"text\":\"\\ud800\"}}      | unpaired surrogate",
            "NUL in metadata           | {\"type\":\"echo\",\"metadata\":{\"m\":[\"\\u0000\"]}}     | metadata.m[0]",
            "number as type            | {\"type\":123}                                             | type",
            "fraction as max_attempts  | {\"type\":\"echo\",\"max_attempts\":2.5}                  | max_attempts",
            "huge negative priority    | {\"type\":\"echo\",\"priority\":-1e308}                   | priority",
            "infinite priority         | {\"type\":\"echo\",\"priority\":1e999}                    | priority",
            "duplicate keys            | {\"type\":\"echo\",\"type\":\"other\"}                    | Duplicate field",
            "JSON null                 | null                                                       | got null",
            "JSON array                | [{\"type\":\"echo\"}]                                     | got array",
            "params not an object      | {\"type\":\"echo\",\"params\":\"x\"}                      | JobRequest",
            "truncated JSON            | {\"type\":\"echo\"                                        | malformed JSON"})
    void shouldRefuseAMalformedSubmissionAndStoreNothing(String name, String body, String explanation) {
        // given the number of jobs stored for the client
        int before = storedJobs();

        // when the client submits the malformed body
        as(COUNTED_CLIENT_TOKEN).contentType("application/json").body(body).when().post("/api/v1/jobs")

                // then it is refused with a problem naming the fault, and nothing was stored
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_INPUT_ERROR")).body("detail", containsString(explanation));
        assertThat(storedJobs()).isEqualTo(before);
    }

    @Test
    void shouldRefuseABodyThatIsNotDeclaredAsJson() {
        int before = storedJobs();

        as(COUNTED_CLIENT_TOKEN).contentType("text/plain").body("{\"type\":\"echo\"}").when().post("/api/v1/jobs")
                .then().statusCode(400).body("detail", containsString("Content-Type"));
        assertThat(storedJobs()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/jobs/%00", "/api/v1/jobs/a%20b", "/api/v1/jobs/%00/events"})
    void shouldRefuseAMalformedJobIdInAPath(String path) {
        as(CLIENT_TOKEN).urlEncodingEnabled(false).when().get(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_INPUT_ERROR")).body("detail", containsString("job id"));
    }

    @Test
    void shouldRefuseToCancelAMalformedJobId() {
        as(CLIENT_TOKEN).urlEncodingEnabled(false).when().post("/api/v1/jobs/%00/cancel")
                .then().statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR"));
    }

    @ParameterizedTest
    @CsvSource({"limit,abc", "limit,0", "limit,1.5", "status,nonsense", "cursor,%00%00"})
    void shouldRefuseABadListingParameter(String parameter, String value) {
        as(CLIENT_TOKEN).urlEncodingEnabled(false).when().get("/api/v1/jobs?" + parameter + "=" + value)
                .then().statusCode(400).body("code", equalTo("INVALID_INPUT_ERROR"));
    }

    @Test
    void shouldAnswer404BeforeTheStreamForTheEventsOfAnUnknownJob() {
        as(CLIENT_TOKEN).header("Accept", "text/event-stream").when()
                .get("/api/v1/jobs/" + java.util.UUID.randomUUID() + "/events")
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("DEPENDENCY_MISSING_ERROR"));
    }

    @Test
    void shouldAnswer404ForTheEventsOfAnotherClientsJobExactlyAsForAnUnknownOne() {
        // given a job of the default client
        String jobId = submit(uniqueSkill("foreign"), Map.of());

        // when another client follows its events or reads it, then both look like a missing job
        as(OTHER_CLIENT_TOKEN).header("Accept", "text/event-stream").when().get("/api/v1/jobs/" + jobId + "/events")
                .then().statusCode(404).body("code", equalTo("DEPENDENCY_MISSING_ERROR"))
                .body("detail", equalTo("job " + jobId + " not found"));
        as(OTHER_CLIENT_TOKEN).when().get("/api/v1/jobs/" + jobId)
                .then().statusCode(404).body("code", equalTo("DEPENDENCY_MISSING_ERROR"));
    }

    @Test
    void shouldStillStreamTheEventsOfTheClientsOwnJob() {
        String jobId = submit(uniqueSkill("own"), Map.of());
        as(CLIENT_TOKEN).post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200);

        as(CLIENT_TOKEN).header("Accept", "text/event-stream").when().get("/api/v1/jobs/" + jobId + "/events")
                .then().statusCode(200).body(containsString("job_cancelled"));
    }
}
