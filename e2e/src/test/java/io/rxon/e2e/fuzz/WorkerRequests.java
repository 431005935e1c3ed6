package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How this test's workers address the orchestrator: their headers, signed messages, URLs and the id rule. */
public final class WorkerRequests {

    private final String baseUrl;
    private final String token;
    private final WorkerMessages messages;

    public WorkerRequests(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.messages = new WorkerMessages(token);
    }

    public WorkerMessages messages() {
        return messages;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public Probe probe(String endpoint, String label, String method, String path, String workerId, byte[] body,
            Expect expect) {
        return new Probe(endpoint, label, method, url(path), headers(workerId), body, expect);
    }

    public Probe probe(String endpoint, String label, String method, String path, Map<String, String> headers,
            byte[] body, Expect expect) {
        return new Probe(endpoint, label, method, url(path), headers, body, expect);
    }

    /** Token, protocol version, JSON, and the worker id when it can travel in a header at all. */
    public Map<String, String> headers(String workerId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Worker-Token", token);
        headers.put("X-RXON-Version", "1.0b16");
        headers.put("Content-Type", "application/json");
        if (workerId != null && workerId.chars().allMatch(c -> c > 0x20 && c < 0x7f) && workerId.length() < 4_000) {
            headers.put("X-Worker-ID", workerId);
        }
        return headers;
    }

    /** A clean message of {@code workerId}, signed. */
    public Probe signed(String endpoint, String label, String method, String path, String workerId,
            ObjectNode message, List<String> ignored) {
        messages.sign(message, workerId, ignored);
        return probe(endpoint, label, method, path, workerId, FuzzHttp.json(message), Expect.NO_SERVER_ERROR);
    }

    /** The identifier rule of PROTOCOL.md §2.6, minus the reserved id {@code ghost} in any case. */
    public static boolean validId(String id) {
        return id != null && id.matches("[a-zA-Z0-9_-]{1,128}") && !id.equalsIgnoreCase("ghost");
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
