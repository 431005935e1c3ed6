package io.rxon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A small client of the orchestrator's REST API: submit jobs, read them, follow their events. */
public final class ClientApi {

    private static final Set<String> TERMINAL = Set.of("finished", "failed", "cancelled", "quarantined");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String token;

    public ClientApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Submits a job; returns its id. */
    public String submit(Map<String, Object> job) {
        HttpResponse<String> response = send(request("/api/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(job))).build());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("job refused with " + response.statusCode() + ": " + response.body());
        }
        return tree(response.body()).get("job_id").asText();
    }

    /** Submits a job and returns the orchestrator's answer as it is, whatever its status. */
    public HttpResponse<String> trySubmit(Map<String, Object> job) {
        return send(request("/api/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(job))).build());
    }

    /** Registers a workflow definition (YAML or JSON); returns the orchestrator's answer as it is. */
    public HttpResponse<String> registerWorkflow(String definition) {
        return send(request("/api/v1/workflows").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(definition)).build());
    }

    /** Sends a signal to a workflow job (docs/WORKFLOWS.md); returns the HTTP status. */
    public int signal(String jobId, String name, Map<String, Object> payload) {
        return send(request("/api/v1/jobs/" + jobId + "/signals/" + name)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(payload))).build()).statusCode();
    }

    public JsonNode job(String jobId) {
        HttpResponse<String> response = send(request("/api/v1/jobs/" + jobId).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("job " + jobId + ": HTTP " + response.statusCode());
        }
        return tree(response.body());
    }

    /** Asks to cancel the job (202/200 as the orchestrator answers; an ended job is left as it is). */
    public int cancel(String jobId) {
        return send(request("/api/v1/jobs/" + jobId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode();
    }

    /** Every job with {@code status} (e.g. {@code finished}), all pages. */
    public List<JsonNode> jobs(String status) {
        List<JsonNode> jobs = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?status=" + status + "&limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> response = send(request("/api/v1/jobs" + query).GET().build());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("job list: HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = tree(response.body());
            page.get("jobs").forEach(jobs::add);
            JsonNode next = page.get("next_cursor");
            cursor = next == null || next.isNull() ? null : java.net.URLEncoder.encode(next.asText(),
                    StandardCharsets.UTF_8);
        } while (cursor != null);
        return jobs;
    }

    /** Polls the job until it is terminal. */
    public JsonNode awaitEnd(String jobId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = job(jobId);
            if (TERMINAL.contains(job.get("status").asText())) {
                return job;
            }
            ManagedProcess.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("job " + jobId + " did not end within " + timeout + ": " + job(jobId));
    }

    /** Streams the job's Server-Sent Events to {@code onEvent}; completes when the stream ends with the job. */
    public CompletableFuture<Void> follow(String jobId, Consumer<JsonNode> onEvent) {
        HttpRequest request = request("/api/v1/jobs/" + jobId + "/events").header("Accept", "text/event-stream")
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response ->
                response.body().filter(line -> line.startsWith("data:"))
                        .forEach(line -> onEvent.accept(tree(line.substring(5).trim()))));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the orchestrator at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(String json) {
        return Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }
}
