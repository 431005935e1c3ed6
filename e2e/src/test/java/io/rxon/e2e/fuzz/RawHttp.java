package io.rxon.e2e.fuzz;

import io.rxon.e2e.fuzz.Probe.Expect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Requests no well-behaved client sends, written byte by byte on a plain socket: malformed percent
 * escapes, raw NUL and non-ASCII bytes in the request target and in headers, huge headers, bad
 * {@code Content-Length} and chunk sizes, unknown methods. Each must get an HTTP answer below 500.
 */
public final class RawHttp {

    private static final List<String> PATHS = List.of("/api/v1/jobs/", "/api/v1/jobs?limit=", "/_worker/workers/",
            "/_worker/ws/", "/api/v1/blobs/url?uri=");

    private final String baseUrl;
    private final String clientToken;
    private final String workerToken;
    private final Poison poison;
    private final FuzzHttp http;

    public RawHttp(String baseUrl, String clientToken, String workerToken, Poison poison, FuzzHttp http) {
        this.baseUrl = baseUrl;
        this.clientToken = clientToken;
        this.workerToken = workerToken;
        this.poison = poison;
        this.http = http;
    }

    public void fuzz() {
        String path = poison.pick(PATHS);
        String auth = "Authorization: Bearer " + clientToken + "\r\nX-Worker-Token: " + workerToken + "\r\n";
        String host = "Host: " + URI.create(baseUrl).getAuthority() + "\r\n";
        String head = auth + host + "Content-Type: application/json\r\n";
        String label;
        String request;
        Expect expect = Expect.REFUSE;
        switch (poison.random().nextInt(12)) {
            case 0 -> {
                label = "malformed percent escape";
                request = "GET " + path + poison.pick(List.of("%ZZ", "%", "%0", "%u0000", "%C0%80")) + " HTTP/1.1\r\n" + head;
            }
            case 1 -> {
                label = "raw NUL in target";
                request = "GET " + path + "a\u0000b HTTP/1.1\r\n" + head;
            }
            case 2 -> {
                label = "raw non-ASCII in target";
                request = "GET " + path + "\u00e9\u00ff\ud83d\ude00 HTTP/1.1\r\n" + head;
            }
            case 3 -> {
                label = "space in target";
                request = "GET " + path + "a b HTTP/1.1\r\n" + head;
            }
            case 4 -> {
                // an empty heartbeat, not a poll: a task claimed here would have nobody to finish it
                label = "non-ASCII bytes in X-Worker-ID";
                request = "PATCH /_worker/workers/" + FuzzRun.HEARTBEAT_WORKER + " HTTP/1.1\r\n" + head
                        + "X-Worker-ID: \u00ff\u00fe\u00e9\r\nContent-Length: 0\r\n\r\n";
                expect = Expect.NO_SERVER_ERROR;
            }
            case 5 -> {
                label = "NUL in a header value";
                request = "GET /api/v1/jobs HTTP/1.1\r\n" + host + "Authorization: Bearer " + clientToken
                        + "\u0000x\r\n";
            }
            case 6 -> {
                label = "huge header";
                request = "GET /api/v1/jobs HTTP/1.1\r\n" + head + "X-Pad: " + "p".repeat(100_000) + "\r\n";
            }
            case 7 -> {
                label = "negative Content-Length";
                request = "POST /api/v1/jobs HTTP/1.1\r\n" + head + "Content-Length: -1\r\n\r\n{}";
            }
            case 8 -> {
                label = "bad chunk size";
                expect = Expect.REFUSE_OR_CLOSE;
                request = "POST /_worker/tasks/result HTTP/1.1\r\n" + head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n";
            }
            case 9 -> {
                label = "unknown method";
                request = poison.pick(List.of("BREW", "PROPFIND", "TRACE", "CONNECT")) + " " + path + "x HTTP/1.1\r\n" + head;
            }
            case 10 -> {
                label = "no HTTP version";
                request = "GET " + path + "x\r\n" + head;
            }
            default -> {
                label = "gzip Content-Encoding on a plain body";
                request = "POST /api/v1/jobs HTTP/1.1\r\n" + head + "Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}";
                expect = Expect.NO_SERVER_ERROR;
            }
        }
        if (!request.contains("\r\n\r\n")) {
            request += "\r\n";
        }
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        // the blob endpoints answer 501 without S3 whatever they are asked (FuzzHttp knows them by name)
        String endpoint = request.contains(" /api/v1/blobs") ? "blobs (raw HTTP)" : "raw HTTP";
        Probe probe = new Probe(endpoint, label, "RAW", baseUrl, Map.of(), bytes, expect);
        long started = System.nanoTime();
        FuzzHttp.Answer answer = exchange(bytes);
        http.recordProbe(endpoint, System.nanoTime() - started, answer.status());
        http.judge(probe, answer);
    }

    private FuzzHttp.Answer exchange(byte[] request) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0 && answer.size() < 2_000) {
                    answer.write(b);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                if (answer.size() == 0) {
                    return new FuzzHttp.Answer(-1, "no answer within 5 s");
                }
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                return new FuzzHttp.Answer(-1, FuzzHttp.CLOSED);
            }
            if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                return new FuzzHttp.Answer(-1, "no HTTP answer: '" + text + "'");
            }
            return new FuzzHttp.Answer(Integer.parseInt(text.substring(9, 12)), text);
        } catch (IOException | NumberFormatException e) {
            return new FuzzHttp.Answer(-1, e.toString());
        }
    }
}
