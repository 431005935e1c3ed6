package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends probes one after the other (so that a seed replays the same run) and keeps every wrong
 * answer as a {@link Finding} instead of stopping at the first. Bodies of Server-Sent Events are
 * not read: the status and headers are what is checked, and a live stream would never end.
 */
public final class FuzzHttp {

    /** A status (or -1 when there was no answer) and the start of the body. */
    public record Answer(int status, String body) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** Writes nesting of any depth: how deep a body may be is the server's decision, not the fuzzer's. */
    private static final JsonFactory UNLIMITED = JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();
    private static final ObjectMapper PLAIN = JsonMapper.builder(UNLIMITED).build();
    /** Lone surrogates cannot be written as UTF-8; escaped as {@code \ud800} they reach the server as sent. */
    private static final ObjectMapper ESCAPING = JsonMapper.builder(UNLIMITED.copy())
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    /** The answer when the server closed the connection without a word. */
    public static final String CLOSED = "connection closed without an answer";
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> timings = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    private final AtomicInteger sent = new AtomicInteger();

    public static byte[] json(JsonNode node) {
        try {
            return PLAIN.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            try {
                return ESCAPING.writeValueAsBytes(node);
            } catch (JsonProcessingException again) {
                throw new IllegalStateException("cannot write a fuzzed body", again);
            }
        }
    }

    public HttpClient client() {
        return http;
    }

    public Answer send(Probe original) {
        // README: bodies over QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE (4M) get 413, URIs over the request line
        // limit 414; a server may answer and close before the upload ends, and the client then sees
        // the connection closed instead
        boolean oversized = original.body().length > MAX_BODY || original.uri().length() > MAX_BODY / 4;
        Probe probe = oversized && original.expect() != Probe.Expect.REFUSE_OR_CLOSE
                ? new Probe(original.endpoint(), original.mutation(), original.method(), original.uri(),
                        original.headers(), original.body(), Probe.Expect.REFUSE_OR_CLOSE)
                : original;
        sent.incrementAndGet();
        long started = System.nanoTime();
        Answer answer = exchange(probe);
        if (answer.status() < 0) {
            // a pooled keep-alive connection the server had already closed: only a second failure counts
            answer = exchange(probe);
        }
        record(probe.endpoint(), System.nanoTime() - started, answer.status());
        judge(probe, answer);
        return answer;
    }

    /** Keeps a wrong answer to {@code probe} as a finding; also for probes sent another way (raw socket). */
    public void judge(Probe probe, Answer answer) {
        boolean closedOnFramingError = probe.expect() == Probe.Expect.REFUSE_OR_CLOSE
                && answer.body().startsWith(CLOSED);
        if (answer.status() < 0 && !closedOnFramingError) {
            findings.add(new Finding("no answer", probe, answer.status(), answer.body()));
        } else if (answer.status() >= 500 && !notConfigured(probe, answer)) {
            findings.add(new Finding("server error", probe, answer.status(), answer.body()));
        } else if (probe.expect() != Probe.Expect.NO_SERVER_ERROR && answer.status() >= 0 && answer.status() < 400) {
            findings.add(new Finding("invalid input accepted", probe, answer.status(), answer.body()));
        }
    }

    /** README: the blob endpoints answer 501 when no S3 is configured, as in this test's deployment. */
    private static boolean notConfigured(Probe probe, Answer answer) {
        return answer.status() == 501 && probe.endpoint().startsWith("blobs");
    }

    /**
     * A probe sent another way (socket upgrade or frame, raw HTTP): counted with the requests;
     * status 101 for an opened socket, 0 for a frame.
     */
    public void recordProbe(String endpoint, long nanos, int status) {
        sent.incrementAndGet();
        record(endpoint, nanos, status);
    }

    private synchronized void record(String endpoint, long nanos, int status) {
        timings.merge(endpoint, nanos, Long::sum);
        counts.merge(endpoint, 1, Integer::sum);
        statuses.computeIfAbsent(endpoint, name -> new TreeMap<>()).merge(status, 1, Integer::sum);
    }

    /** A wrong answer found outside HTTP (a socket frame, the log, the job table). */
    public void report(Finding finding) {
        findings.add(finding);
    }

    /**
     * Requests, milliseconds and answers by status per endpoint: to keep the run within its minute,
     * and to see that mutated content still gets past validation now and then.
     */
    public String timings() {
        StringBuilder out = new StringBuilder();
        counts.forEach((endpoint, count) -> out.append(String.format("%6d %7d ms  %-20s %s%n", count,
                timings.get(endpoint) / 1_000_000, endpoint, statuses.get(endpoint))));
        return out.toString();
    }

    public int sent() {
        return sent.get();
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    private Answer exchange(Probe probe) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(probe.uri())).timeout(Duration.ofSeconds(20))
                    .method(probe.method(), probe.body().length == 0 && !"POST".equals(probe.method())
                            && !"PATCH".equals(probe.method()) ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
            probe.headers().forEach((name, value) -> {
                if (!RESTRICTED.contains(name.toLowerCase())) {
                    request.header(name, value);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the fuzzer built a request the JDK client cannot send: "
                    + probe.describe(), e);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                boolean stream = response.headers().firstValue("Content-Type").orElse("").contains("event-stream");
                String text = stream ? "(event stream)" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(response.statusCode(), text);
            }
        } catch (HttpTimeoutException e) {
            return new Answer(-1, "no answer within 20 s: " + e);
        } catch (IOException e) {
            return new Answer(-1, CLOSED + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
