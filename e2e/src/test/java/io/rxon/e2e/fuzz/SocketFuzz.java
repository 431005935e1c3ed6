package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Probes of the worker socket {@code /_worker/ws/{id}}: upgrades with bad ids and tokens (4xx,
 * never 5xx), then mutated frames on an open socket. Each fuzzed frame is followed by a marker
 * frame that is not JSON, which the orchestrator answers with exactly one error frame naming it:
 * every frame received before that answer belongs to the fuzzed frame, so a reply with
 * {@code INTERNAL_ERROR} or a close with 1011 is pinned to the frame that caused it.
 */
public final class SocketFuzz {

    private final String baseUrl;
    private final String token;
    private final Poison poison;
    private final FuzzHttp http;
    private final WorkerMessages messages;
    private WorkerSocketClient socket;
    private int markers;

    public SocketFuzz(String baseUrl, String token, Poison poison, FuzzHttp http) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.poison = poison;
        this.http = http;
        this.messages = new WorkerMessages(token);
    }

    /** An upgrade that must be refused before the socket opens: a bad id, no token or a wrong token. */
    public void fuzzUpgrade(String workerId) {
        String label;
        String id = workerId;
        String usedToken = token;
        switch (poison.random().nextInt(3)) {
            case 0 -> {
                Poison.Value value = poison.string();
                id = value.node().textValue();
                label = value.label() + " in worker id";
                if (WorkerRequests.validId(id)) {
                    return;
                }
            }
            case 1 -> {
                id = poison.pick(List.of("GHOST", "ghost", "..%2F..%2Fapi"));
                label = "reserved or traversing worker id";
            }
            default -> {
                usedToken = "wrong-token";
                label = "wrong token";
            }
        }
        String uri = socketUri(id.equals("..%2F..%2Fapi") ? id : WorkerRequests.encode(id));
        Probe probe = new Probe("socket upgrade", label, "GET", uri, Map.of(), new byte[0], Expect.REFUSE);
        long started = System.nanoTime();
        int status = -1;
        try {
            WorkerSocketClient.open(http.client(), uri, id, usedToken).abort();
            status = 101;
            http.report(new Finding("invalid input accepted", probe, status, "socket opened"));
        } catch (WebSocketHandshakeException e) {
            status = e.getResponse().statusCode();
            if (status >= 500) {
                http.report(new Finding("server error", probe, status, String.valueOf(e.getResponse().body())));
            }
        } catch (Exception e) {
            http.report(new Finding("no answer", probe, -1, e.toString()));
        }
        http.recordProbe("socket upgrade", System.nanoTime() - started, status);
    }

    public void connect(String workerId) throws Exception {
        socket = WorkerSocketClient.open(http.client(), socketUri(workerId), workerId, token);
    }

    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    /** One mutated frame (an event, a result for {@code task}, a credit, or text that is no frame), then the marker. */
    public void fuzzFrame(String workerId, WorkerMessages.Task task) throws Exception {
        String label;
        String frame;
        int roll = poison.random().nextInt(10);
        if (roll < 4) {
            ObjectNode event = WorkerMessages.event(new UUID(poison.random().nextLong(), poison.random().nextLong())
                    .toString(), workerId, task.jobId(), task.taskId());
            Poison.Mutation mutation = poison.mutate(event, List.of("timestamp", "security", "worker_id", "frame"));
            messages.sign(mutation.tree(), workerId, List.of("bubbling_chain"));
            label = "event: " + mutation.label();
            frame = new String(FuzzHttp.json(mutation.tree()), StandardCharsets.UTF_8);
        } else if (roll < 7) {
            Poison.Mutation mutation = poison.mutate(WorkerMessages.result(task, poison.random().nextBoolean()),
                    List.of("timestamp", "security", "worker_id", "job_id", "task_id"));
            messages.sign(mutation.tree(), workerId, List.of());
            ObjectNode wrapper = Poison.object().put("frame", "result");
            wrapper.set("result", mutation.tree());
            label = "result: " + mutation.label();
            frame = new String(FuzzHttp.json(wrapper), StandardCharsets.UTF_8);
        } else if (roll < 8) {
            Poison.Value slots = poison.any();
            ObjectNode credit = Poison.object().put("frame", "credit");
            credit.set("slots", slots.node());
            label = "credit: " + slots.label();
            frame = new String(FuzzHttp.json(credit), StandardCharsets.UTF_8);
        } else {
            Poison.Value text = poison.string();
            label = "text: " + text.label();
            // the JDK cannot send a lone surrogate in a text frame; as a JSON escape it still reaches the server
            String literal = new String(FuzzHttp.json(text.node()), StandardCharsets.UTF_8);
            String bare = text.label().equals("lone surrogate") ? literal : text.node().textValue();
            frame = poison.pick(List.of(bare, "{\"frame\":" + literal + "}", "null", "[]",
                    "{\"frame\":\"result\",\"result\":null}"));
        }
        exchange(label, frame, workerId);
    }

    private void exchange(String label, String frame, String workerId) throws Exception {
        Probe probe = new Probe("socket frame", label, "WS", socketUri(workerId), Map.of(),
                frame.getBytes(StandardCharsets.UTF_8), Expect.NO_SERVER_ERROR);
        String marker = "marker-" + (++markers);
        long started = System.nanoTime();
        try {
            exchange(probe, frame, marker, workerId);
        } finally {
            http.recordProbe("socket frame", System.nanoTime() - started, 0);
        }
    }

    private void exchange(Probe probe, String frame, String marker, String workerId) throws Exception {
        try {
            socket.send(frame);
            socket.send(marker);
        } catch (ExecutionException | CompletionException e) {
            reconnectAfter(probe, workerId, "send failed: " + e.getCause());
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String reply = socket.poll(50);
            if (reply == null && socket.closeCode() == -1 && System.nanoTime() < deadline) {
                continue;
            }
            if (reply == null) {
                reconnectAfter(probe, workerId, "no answer to the marker frame (close code " + socket.closeCode() + ")");
                return;
            }
            if (reply.contains(marker)) {
                return;
            }
            JsonNode node = Json.tree(reply.getBytes(StandardCharsets.UTF_8));
            if ("INTERNAL_ERROR".equals(node.at("/params/code").asText())) {
                http.report(new Finding("server error", probe, 500, reply));
            }
        }
    }

    /** A socket that died under a frame: a close with 1009 (too big) is an answer, anything else is a finding. */
    private void reconnectAfter(Probe probe, String workerId, String what) throws Exception {
        if (socket.closeCode() != 1009) {
            http.report(new Finding("socket lost", probe, socket.closeCode(), what));
        }
        socket.abort();
        connect(workerId);
    }

    private String socketUri(String encodedId) {
        return baseUrl.replaceFirst("^http", "ws") + "/_worker/ws/" + encodedId;
    }
}
