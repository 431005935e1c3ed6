package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Push dispatch (docs/PUSH_DISPATCH.md) under fuzz: a worker that negotiated push gets mutated
 * {@code credit} frames (wrong types, negative, huge) and valid small ones; every task pushed to it
 * is answered with mutated {@code result} frames and then a clean one, all on the socket. Its skill
 * is its own, so that pushed tasks never come from the long-poll workers' jobs. As with
 * {@link SocketFuzz}, a marker frame after each fuzzed frame pins every reply to its frame.
 */
public final class PushFuzz {

    public static final String WORKER = "fuzz-push-worker";
    public static final String SKILL = "fuzz_push_skill";

    private final String baseUrl;
    private final String token;
    private final Poison poison;
    private final FuzzHttp http;
    private final WorkerRequests requests;
    private final Deque<WorkerMessages.Task> pushed = new ArrayDeque<>();
    private WorkerSocketClient socket;
    private int markers;
    private int pushedCount;

    public PushFuzz(String baseUrl, String token, Poison poison, FuzzHttp http, WorkerRequests requests) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.poison = poison;
        this.http = http;
        this.requests = requests;
    }

    /** Registers with the push flag and opens the socket. */
    public void start() throws Exception {
        ObjectNode registration = WorkerMessages.registration(WORKER);
        registration.putArray("supported_skills").addObject().put("name", SKILL);
        registration.putArray("available_skills").add(SKILL);
        registration.putArray("hot_skills");
        ((ObjectNode) registration.get("capabilities")).putObject("extra").put("push_dispatch", true);
        FuzzHttp.Answer answer = http.send(requests.signed("register", "push worker", "POST",
                "/_worker/workers/register", WORKER, registration, List.of()));
        if (!answer.body().contains("\"push_dispatch\":true")) {
            throw new IllegalStateException("push dispatch not granted: " + answer);
        }
        socket = WorkerSocketClient.open(http.client(), baseUrl.replaceFirst("^http", "ws") + "/_worker/ws/" + WORKER,
                WORKER, token);
    }

    /** A credit frame: mostly a small valid grant (so that tasks get pushed), else a hostile slot count. */
    public void fuzzCredit() throws Exception {
        ObjectNode credit = Poison.object().put("frame", "credit");
        String label;
        if (poison.chance(0.6)) {
            credit.put("slots", 1 + poison.random().nextInt(2));
            label = "credit: small";
        } else {
            Poison.Value slots = poison.chance(0.5) ? poison.wrongType() : new Poison.Value("credit: extreme",
                    Json.mapper().getNodeFactory().numberNode(poison.pick(List.of(-1, 0, Integer.MAX_VALUE,
                            Integer.MIN_VALUE))));
            credit.set("slots", slots.node());
            label = "credit: " + slots.label();
        }
        exchange(label, Json.writeString(credit));
    }

    /** Mutated result frames for the oldest pushed task, then its clean result. */
    public void answerOne() throws Exception {
        WorkerMessages.Task task = pushed.poll();
        if (task == null) {
            return;
        }
        for (int i = 0; i < 1 + poison.random().nextInt(3); i++) {
            Poison.Mutation mutation = poison.mutate(WorkerMessages.result(task, poison.random().nextBoolean()),
                    List.of("timestamp", "security", "worker_id", "job_id", "task_id"));
            exchange("result: " + mutation.label(), resultFrame(mutation.tree()));
        }
        exchange("result: clean", resultFrame(WorkerMessages.result(task, true)));
    }

    /** Answers every task pushed so far, twice over (a clean result may bring the next push). */
    public void drain() throws Exception {
        for (int round = 0; round < 3 && (round == 0 || !pushed.isEmpty()); round++) {
            while (!pushed.isEmpty()) {
                answerOne();
            }
            exchange("drain", "{}");
        }
    }

    /** Tasks the orchestrator pushed during the run. */
    public int pushedCount() {
        return pushedCount;
    }

    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    private String resultFrame(ObjectNode result) {
        requests.messages().sign(result, WORKER, List.of());
        ObjectNode frame = Poison.object().put("frame", "result");
        frame.set("result", result);
        return new String(FuzzHttp.json(frame), StandardCharsets.UTF_8);
    }

    private void exchange(String label, String frame) throws Exception {
        Probe probe = new Probe("push frame", label, "WS", baseUrl + "/_worker/ws/" + WORKER, Map.of(),
                frame.getBytes(StandardCharsets.UTF_8), Expect.NO_SERVER_ERROR);
        String marker = "marker-" + (++markers);
        long started = System.nanoTime();
        socket.send(frame);
        socket.send(marker);
        long deadline = started + 10_000_000_000L;
        while (true) {
            String reply = socket.poll(50);
            if (reply == null && socket.closeCode() == -1 && System.nanoTime() < deadline) {
                continue;
            }
            if (reply == null) {
                http.report(new Finding("socket lost", probe, socket.closeCode(), "no answer to the marker frame"));
                throw new IllegalStateException("the push socket died: " + probe.describe());
            }
            if (reply.contains(marker)) {
                break;
            }
            JsonNode node = Json.tree(reply.getBytes(StandardCharsets.UTF_8));
            if ("run_task".equals(node.path("command").asText())) {
                pushed.add(new WorkerMessages.Task(WORKER, node.path("job_id").asText(), node.path("task_id").asText()));
                pushedCount++;
            } else if ("INTERNAL_ERROR".equals(node.at("/params/code").asText())) {
                http.report(new Finding("server error", probe, 500, reply));
            }
        }
        http.recordProbe("push frame", System.nanoTime() - started, 0);
    }
}
