package io.rxon.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the README and the real routes: every endpoint and status the
 * README's tables promise is documented, every documented operation is routed, every error is
 * documented in its API's dialect with the catalog's code, and none of it needs (or shows) a secret.
 * The module's tests run in {@code mixed} mode (KeycloakTestResource), so this holds with OIDC on.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static JsonNode document() {
        byte[] body = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asByteArray();
        return Json.tree(body);
    }

    /** Documented operations by {@code "METHOD template"}, parameters written {@code {}}. */
    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new HashMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (HTTP_METHODS.contains(operation.getKey())) {
                operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + ReadmeEndpoints.template(
                        path.getKey()), operation.getValue());
            }
        }));
        return operations;
    }

    @Test
    void givenTheReadmeTablesWhenTheDocumentIsFetchedWithoutCredentialsThenItHasEveryEndpointAndStatus()
            throws IOException {
        Map<String, JsonNode> operations = operations(document());
        List<ReadmeEndpoints.Endpoint> promised = ReadmeEndpoints.read().endpoints();

        assertThat(promised).as("endpoints read from README.md").hasSizeGreaterThan(10);
        List<String> missing = new ArrayList<>();
        for (ReadmeEndpoints.Endpoint endpoint : promised) {
            String method = endpoint.statuses().contains("101") ? "GET" : endpoint.method();
            JsonNode operation = operations.get(method + " " + endpoint.path());
            if (operation == null) {
                missing.add(method + " " + endpoint.path());
                continue;
            }
            endpoint.statuses().stream().filter(status -> !operation.path("responses").has(status))
                    .forEach(status -> missing.add(method + " " + endpoint.path() + " " + status));
        }
        assertThat(missing).as("README endpoints and statuses absent from the OpenAPI document").isEmpty();
    }

    @Test
    void givenTheWorkerErrorTableWhenTheDocumentIsReadThenEveryWorkerCallDocumentsEachErrorAsErrorAndCode()
            throws IOException {
        Set<String> statuses = ReadmeEndpoints.read().workerErrorStatuses();
        assertThat(statuses).contains("400", "401", "403", "503", "500");

        operations(document()).forEach((call, operation) -> {
            if (!call.contains(" " + Protocol.WORKER_PREFIX + "/") || operation.path("responses").has("101")) {
                return;
            }
            boolean hasBody = call.startsWith("POST") || call.startsWith("PATCH");
            for (String status : statuses) {
                // A body over the limit is refused before any handler: only calls that carry a body can get 413.
                if (status.equals("413") && !hasBody) {
                    continue;
                }
                JsonNode response = operation.path("responses").path(status);
                assertThat(response.isMissingNode()).as(call + " documents " + status).isFalse();
                if (!status.equals("413")) {
                    JsonNode json = response.path("content").path("application/json");
                    assertThat(json.path("schema").path("$ref").asText()).as(call + " " + status)
                            .endsWith("/WorkerError");
                    assertThat(json.path("example").path("code").asText()).as(call + " " + status).endsWith("_ERROR");
                }
            }
            assertThat(operation.path("tags").toString()).contains("worker protocol");
            assertThat(operation.path("security").toString()).contains("workerToken", "workerId");
        });
    }

    @Test
    void givenTheClientApiWhenItsErrorsAreReadThenTheyAreProblemJsonWithTheCatalogsCodes() {
        Map<String, JsonNode> operations = operations(document());
        Map<String, String> codes = Map.of("400", "INVALID_INPUT_ERROR", "401", "SECURITY_ERROR", "403",
                "SECURITY_ERROR", "404", "DEPENDENCY_MISSING_ERROR", "409", "INVALID_INPUT_ERROR", "429",
                "LIMIT_EXCEEDED_ERROR", "503", "DEPENDENCY_ERROR", "500", "INTERNAL_ERROR");

        operations.forEach((call, operation) -> {
            if (!call.contains(" /api/v1/")) {
                return;
            }
            assertThat(operation.path("responses").has("401")).as(call + " documents 401").isTrue();
            operation.path("responses").properties().forEach(response -> {
                String status = response.getKey();
                if (!codes.containsKey(status)) {
                    return;
                }
                JsonNode problem = response.getValue().path("content").path("application/problem+json");
                assertThat(problem.path("schema").path("$ref").asText()).as(call + " " + status).endsWith("/Problem");
                assertThat(problem.path("example").path("code").asText()).as(call + " " + status)
                        .isEqualTo(codes.get(status));
                assertThat(problem.path("example").path("status").asInt()).isEqualTo(Integer.parseInt(status));
            });
            assertThat(operation.path("security").toString()).contains("clientBearer", "clientToken");
        });
        JsonNode schemes = document().path("components").path("securitySchemes");
        assertThat(schemes.path("workerToken").path("name").asText()).isEqualTo(Protocol.HEADER_WORKER_TOKEN);
        assertThat(schemes.path("workerId").path("name").asText()).isEqualTo(Protocol.HEADER_WORKER_ID);
        assertThat(schemes.path("clientToken").path("name").asText()).isEqualTo(Protocol.HEADER_CLIENT_TOKEN);
        assertThat(schemes.path("clientBearer").path("scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void givenTheRequestAndAnswerSchemasWhenReadThenTheyUseTheWireNamesAndCarryExamples() {
        JsonNode document = document();
        JsonNode schemas = document.path("components").path("schemas");

        assertThat(schemas.path("JobRequest").path("properties").has("max_attempts")).isTrue();
        assertThat(schemas.path("JobView").path("properties").has("assigned_worker_id")).isTrue();
        assertThat(schemas.path("TaskPayload").path("properties").has("tracing_context")).isTrue();
        assertThat(schemas.path("WorkerEventPayload").path("properties").has("trace_context")).isTrue();
        JsonNode submit = document.path("paths").path("/api/v1/jobs").path("post");
        assertThat(submit.path("requestBody").path("content").path("application/json").path("schema").path("$ref")
                .asText()).endsWith("/JobRequest");
        assertThat(submit.path("requestBody").path("content").path("application/json").path("examples").size())
                .isPositive();
    }

    @Test
    void givenEveryDocumentedOperationWhenCalledWithoutCredentialsThenItIsRoutedAndRefusedByTheApplication() {
        given().when().get("/api/v1/no-such-route").then().statusCode(404);
        Map<String, Integer> answers = new HashMap<>();

        operations(document()).forEach((call, operation) -> {
            String method = call.substring(0, call.indexOf(' '));
            String path = call.substring(call.indexOf(' ') + 1).replace("{}", "openapi-check");
            RequestSpecification request = given().contentType("application/json");
            if (operation.path("responses").has("101")) {
                request.header("Connection", "Upgrade").header("Upgrade", "websocket")
                        .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            }
            if (path.endsWith("/blobs/url")) {
                request.queryParam("uri", "s3://bucket/jobs/openapi-check/input.bin");
            }
            answers.put(call, request.when().request(method, path).then().extract().statusCode());
        });

        assertThat(answers).isNotEmpty();
        answers.forEach((call, status) -> assertThat(status).as(call).isNotIn(404, 405));
    }

    @Test
    void givenNoCredentialsWhenTheInteractivePageIsOpenedThenItServesTheDocumentAndNoSecret() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        String text = given().when().get("/q/openapi").then().statusCode(200).extract().asString();

        assertThat(text).contains("openapi: 3").doesNotContain(Fixtures.CLIENT_TOKEN, Fixtures.WORKER_TOKEN,
                Fixtures.OTHER_CLIENT_TOKEN, "test-webhook-secret", "test-task-signing-key");
    }
}
