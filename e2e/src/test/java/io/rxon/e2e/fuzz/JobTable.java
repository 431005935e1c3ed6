package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The client's stored jobs as the list endpoint pages them (100 a page, so the cursor is used): id to status. */
public final class JobTable {

    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    public JobTable(HttpClient http, String baseUrl, String token) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public Map<String, String> statuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/v1/jobs?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("jobs").forEach(job -> statuses.put(job.path("job_id").asText(), job.path("status").asText()));
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return statuses;
    }

    public JsonNode job(String jobId) {
        return get("/api/v1/jobs/" + jobId);
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + new String(response.body()));
            }
            return Json.tree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
