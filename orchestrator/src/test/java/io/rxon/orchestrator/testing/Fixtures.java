package io.rxon.orchestrator.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared helpers of the orchestrator tests: real workers over the real transport, real API calls. */
public final class Fixtures {

    public static final String WORKER_TOKEN = "test-worker-token";
    public static final String CLIENT_TOKEN = "test-client-token";
    public static final String OTHER_CLIENT_TOKEN = "other-client-token";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fixtures() {}

    /**
     * PUTs {@code content} to a presigned URL the way any HTTP client would, with the headers the
     * orchestrator named for it (the client sets the length itself); returns the store's status.
     */
    public static int putPresigned(String url, Map<String, String> headers, byte[] content)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A task type no other test uses, so tests sharing one database never take each other's tasks. */
    public static String uniqueSkill(String base) {
        return base + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String uniqueWorker(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String baseUrl(URL root) {
        String text = root.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    public static Transport transport(URL root, String workerId) {
        return Transports.create(baseUrl(root), workerId, WORKER_TOKEN);
    }

    public static WorkerRegistration registration(String workerId, List<String> skills, Resources resources,
            Map<String, Object> extra) {
        return new WorkerRegistration(workerId, null, skills.stream().map(SkillInfo::named).toList(), null, null,
                resources, null, null, new WorkerCapabilities("test-host", null, null, null, extra), null, null, null,
                null);
    }

    /** Registers a worker with the given skills and no particular resources. */
    public static Transport registeredWorker(URL root, String workerId, String... skills) {
        Transport transport = transport(root, workerId);
        transport.register(registration(workerId, List.of(skills), new Resources(null, Map.of("cpu_cores", 4)), null));
        return transport;
    }

    public static Resources gpu(String model, int vramGb) {
        return new Resources(List.of(new HardwareDevice("gpu", model, "0", Map.of("vram_gb", vramGb), null)),
                Map.of("cpu_cores", 8));
    }

    public static String submit(String type, Map<String, Object> body) {
        Map<String, Object> request = new HashMap<>(body);
        request.put("type", type);
        return given().header("Authorization", "Bearer " + CLIENT_TOKEN)
                .contentType(ContentType.JSON).body(Json.writeString(request))
                .when().post("/api/v1/jobs")
                .then().statusCode(202).extract().path("job_id");
    }

    public static Map<String, Object> job(String jobId) {
        return given().header("Authorization", "Bearer " + CLIENT_TOKEN)
                .when().get("/api/v1/jobs/" + jobId)
                .then().statusCode(200).extract().as(Map.class);
    }
}
