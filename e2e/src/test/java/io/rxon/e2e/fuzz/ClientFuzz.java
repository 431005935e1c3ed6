package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes of the client API ({@code /api/v1}): submissions with mutated bodies, content types and
 * malformed JSON; job ids, list parameters and blob URIs that are not what they should be; SSE on
 * jobs that do not exist. Counts the submissions answered 202, which is exactly how many jobs the
 * run may add.
 */
public final class ClientFuzz {

    private static final List<String> BAD_LIMITS = List.of("abc", "-1", "0", "501", "1.5", "1e3", "\u0000",
            "99999999999999999999");

    private final String baseUrl;
    private final String token;
    private final Poison poison;
    private final RawBodies raw;
    private final FuzzHttp http;
    private final List<String> jobIds = new ArrayList<>();
    private int accepted;

    public ClientFuzz(String baseUrl, String token, Poison poison, FuzzHttp http) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.poison = poison;
        this.raw = new RawBodies(poison);
        this.http = http;
    }

    /** Submissions answered 202 during the run. */
    public int accepted() {
        return accepted;
    }

    public List<String> jobIds() {
        return jobIds;
    }

    public static ObjectNode job() {
        ObjectNode job = Poison.object().put("type", WorkerMessages.SKILL).put("priority", 1).put("timeout_seconds", 60)
                .put("max_attempts", 2);
        job.putObject("params").put("a", 1).put("s", "text").putObject("nested").put("k", "v");
        job.putObject("metadata").put("m", "v");
        // what the fuzz worker has: a GPU with 16 GB, 4 cores, the artifact model-a
        ObjectNode resources = job.putObject("requirements").putObject("resources");
        resources.putArray("devices").addObject().put("type", "gpu").put("model", "fuzz")
                .putObject("properties").put("vram_gb", 8);
        resources.putObject("properties").put("cpu_cores", 2);
        return job;
    }

    /** A valid job, so that the worker side has real tasks to answer. */
    public void submitValid() {
        submitValid(WorkerMessages.SKILL);
    }

    /** A valid job of {@code type}, without requirements. */
    public void submitValid(String type) {
        ObjectNode job = job().put("type", type);
        if (!WorkerMessages.SKILL.equals(type)) {
            job.remove("requirements");
        }
        submit(new Probe("submit", "none", "POST", baseUrl + "/api/v1/jobs", headers("application/json"),
                FuzzHttp.json(job), Expect.NO_SERVER_ERROR));
    }

    public void fuzzSubmit() {
        ObjectNode base = job();
        if (poison.chance(0.3)) {
            // a name that never resolves: a delivery attempt fails fast and reaches nobody
            base.put("webhook_url", "https://hooks.fuzz.invalid/rxon");
        }
        int roll = poison.random().nextInt(20);
        if (roll < 3) {
            RawBodies.Raw body = raw.malform(FuzzHttp.json(base));
            submit(probe("submit", body.label(), "POST", "/api/v1/jobs", body.body(),
                    body.mustRefuse() ? Expect.REFUSE : Expect.NO_SERVER_ERROR));
        } else if (roll < 5) {
            String type = poison.pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded"));
            submit(new Probe("submit", "Content-Type " + type, "POST", baseUrl + "/api/v1/jobs", headers(type),
                    FuzzHttp.json(base), Expect.REFUSE));
        } else if (roll < 7) {
            Map.Entry<String, ObjectNode> invalid = invalidJob(base);
            submit(probe("submit", invalid.getKey(), "POST", "/api/v1/jobs", FuzzHttp.json(invalid.getValue()),
                    Expect.REFUSE));
        } else {
            Poison.Mutation mutation = poison.mutate(base, List.of());
            submit(probe("submit", mutation.label(), "POST", "/api/v1/jobs", FuzzHttp.json(mutation.tree()),
                    Expect.NO_SERVER_ERROR));
        }
    }

    /** Jobs the contract rejects outright (README: "400 for anything invalid (nothing is stored)"). */
    private Map.Entry<String, ObjectNode> invalidJob(ObjectNode job) {
        return switch (poison.random().nextInt(8)) {
            case 0 -> Map.entry("type 123", job.put("type", 123));
            case 1 -> Map.entry("max_attempts 2.5", job.put("max_attempts", 2.5));
            case 2 -> Map.entry("lone surrogate in params", job.set("params", Poison.object().put("s", "\ud800")));
            case 3 -> Map.entry("missing type", job.without("type"));
            case 4 -> Map.entry("params array", job.set("params", Poison.array().add(1)));
            case 5 -> Map.entry("NUL in type", job.put("type", "fuzz\u0000skill"));
            case 6 -> Map.entry("timeout_seconds string", job.put("timeout_seconds", "soon"));
            default -> Map.entry("max_attempts -1", job.put("max_attempts", -1));
        };
    }

    private void submit(Probe probe) {
        FuzzHttp.Answer answer = http.send(probe);
        if (answer.status() == 202) {
            accepted++;
            jobIds.add(Json.tree(answer.body().getBytes(StandardCharsets.UTF_8)).path("job_id").asText());
        }
    }

    /** GET, cancel or follow a job: a real one now and then, otherwise an id that names no job of this client. */
    public void fuzzJobPath() {
        boolean real = !jobIds.isEmpty() && poison.chance(0.2);
        Poison.Value value = poison.string();
        while (value.node().textValue().isEmpty()) {
            // an empty id is another endpoint (/api/v1/jobs/ lists jobs), not a bad id
            value = poison.string();
        }
        String id = real ? poison.pick(jobIds) : value.node().textValue();
        String label = real ? "existing job" : value.label() + " as job id";
        Expect expect = real ? Expect.NO_SERVER_ERROR : Expect.REFUSE;
        String path = "/api/v1/jobs/" + WorkerRequests.encode(id);
        switch (poison.random().nextInt(3)) {
            case 0 -> http.send(probe("get job", label, "GET", path, new byte[0], expect));
            case 1 -> http.send(probe("cancel job", label, "POST", path + "/cancel", new byte[0], expect));
            default -> {
                if (!real) {
                    http.send(probe("job events (SSE)", label, "GET", path + "/events", new byte[0], expect));
                }
            }
        }
    }

    public void fuzzList() {
        String limit = poison.chance(0.5) ? poison.pick(BAD_LIMITS) : "10";
        String status = poison.chance(0.3) ? poison.string().node().textValue() : "";
        String cursor = poison.chance(0.3) ? poison.string().node().textValue() : "";
        boolean invalid = !limit.equals("10") || !status.isEmpty();
        String label = "limit=" + Probe.excerpt(limit, 20) + " status=" + Probe.excerpt(status, 20) + " cursor="
                + (cursor.isEmpty() ? "" : "poison");
        String query = "?limit=" + WorkerRequests.encode(limit) + (status.isEmpty() ? "" : "&status="
                + WorkerRequests.encode(status)) + (cursor.isEmpty() ? "" : "&cursor=" + WorkerRequests.encode(cursor));
        http.send(probe("list jobs", label.replaceAll("\\d{3,}", "N"), "GET", "/api/v1/jobs" + query, new byte[0],
                invalid ? Expect.REFUSE : Expect.NO_SERVER_ERROR));
    }

    public void fuzzWorkersAndBlobs() {
        switch (poison.random().nextInt(3)) {
            case 0 -> http.send(probe("list workers", "junk query", "GET",
                    "/api/v1/workers?limit=abc&x=" + WorkerRequests.encode(poison.string().node().textValue()),
                    new byte[0], Expect.NO_SERVER_ERROR));
            case 1 -> {
                ObjectNode base = Poison.object().put("filename", "a.bin").put("size", 10)
                        .put("content_type", "application/octet-stream");
                if (!jobIds.isEmpty()) {
                    base.put("job_id", poison.pick(jobIds));
                }
                Poison.Mutation mutation = poison.mutate(base, List.of());
                http.send(probe("blobs upload", mutation.label(), "POST", "/api/v1/blobs",
                        FuzzHttp.json(mutation.tree()), Expect.NO_SERVER_ERROR));
            }
            default -> {
                Poison.Value value = poison.string();
                String uri = poison.pick(List.of("s3://b/", "file:///etc/", "", "s3://")) + value.node().textValue();
                http.send(probe("blobs url", value.label() + " in uri", "GET", "/api/v1/blobs/url?uri="
                        + WorkerRequests.encode(uri), new byte[0], Expect.NO_SERVER_ERROR));
            }
        }
    }

    /** Requests without a valid client token: 401, whatever they carry. */
    public void fuzzAuthentication() {
        Map<String, String> headers = new HashMap<>(headers("application/json"));
        String label = poison.pick(List.of("no token", "wrong token", "worker token header", "Basic auth"));
        switch (label) {
            case "no token" -> headers.remove("Authorization");
            case "wrong token" -> headers.put("Authorization", "Bearer wrong");
            case "worker token header" -> headers.put("Authorization", "Bearer " + token + "x");
            default -> headers.put("Authorization", "Basic YTpi");
        }
        String path = poison.pick(List.of("/api/v1/jobs", "/api/v1/workers", "/api/v1/jobs/x"));
        String method = path.equals("/api/v1/jobs") && poison.chance(0.5) ? "POST" : "GET";
        Probe probe = new Probe("auth " + path, label, method, baseUrl + path, headers,
                "POST".equals(method) ? FuzzHttp.json(job()) : new byte[0], Expect.REFUSE);
        if ("POST".equals(method)) {
            submit(probe);
        } else {
            http.send(probe);
        }
    }

    /** A request on a job of this client, for the races. */
    Probe onJob(String endpoint, String method, String path) {
        return probe(endpoint, "race", method, path, new byte[0], Expect.NO_SERVER_ERROR);
    }

    private Probe probe(String endpoint, String label, String method, String path, byte[] body, Expect expect) {
        return new Probe(endpoint, label, method, baseUrl + path, headers("application/json"), body, expect);
    }

    private Map<String, String> headers(String contentType) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", contentType);
    }
}
