package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Probes of the worker protocol ({@code /_worker}): registration, result, heartbeat and event
 * (polls: {@link PollFuzz}), mostly validly signed after the mutation so that the content is what gets tested, some
 * with broken envelopes (no token, a wrong token, another worker's id, malformed JSON).
 */
public final class WorkerFuzz {

    private final WorkerRequests requests;
    private final Poison poison;
    private final RawBodies raw;
    private final FuzzHttp http;
    private final WorkerMessages messages;

    public WorkerFuzz(WorkerRequests requests, Poison poison, FuzzHttp http) {
        this.requests = requests;
        this.poison = poison;
        this.raw = new RawBodies(poison);
        this.http = http;
        this.messages = requests.messages();
    }

    /** A clean, signed registration; the run cannot go on without it. */
    public void register(String workerId) {
        ObjectNode message = WorkerMessages.registration(workerId);
        messages.sign(message, workerId, List.of());
        FuzzHttp.Answer answer = http.send(requests.probe("register", "none", "POST", "/_worker/workers/register", workerId,
                FuzzHttp.json(message), Expect.NO_SERVER_ERROR));
        if (answer.status() != 200) {
            throw new IllegalStateException("clean registration of " + workerId + " refused: " + answer);
        }
    }

    public void fuzzRegistration(String workerId) {
        ObjectNode base = WorkerMessages.registration(workerId);
        if (poison.chance(0.15)) {
            sendRaw("register", "POST", "/_worker/workers/register", workerId, base);
            return;
        }
        Poison.Mutation mutation = poison.mutate(base, envelope());
        String signer = text(mutation.tree(), "worker_id", workerId);
        send("register", mutation, "POST", "/_worker/workers/register", signer, List.of());
    }

    /** Mutated signed results for a claimed task; true when one of them was accepted (the task ended). */
    public boolean fuzzResults(WorkerMessages.Task task, int count) {
        for (int i = 0; i < count; i++) {
            ObjectNode base = poison.chance(0.2) ? WorkerMessages.resultWithBlob(task)
                    : WorkerMessages.result(task, poison.random().nextBoolean());
            if (poison.chance(0.1)) {
                sendRaw("result", "POST", "/_worker/tasks/result", task.workerId(), base);
                continue;
            }
            List<String> kept = new ArrayList<>(envelope());
            if (poison.chance(0.7)) {
                kept.addAll(List.of("job_id", "task_id"));
            }
            Poison.Mutation mutation = poison.mutate(base, kept);
            FuzzHttp.Answer answer = send("result", mutation, "POST", "/_worker/tasks/result", task.workerId(),
                    List.of());
            if (answer.status() == 200 && answer.body().contains("\"accepted\"")) {
                return true;
            }
        }
        return false;
    }

    /** A result for the task that is valid except for a NUL in its content; the answer decides what must follow. */
    public FuzzHttp.Answer unstorableResult(WorkerMessages.Task task) {
        boolean success = poison.random().nextBoolean();
        ObjectNode message = WorkerMessages.result(task, success);
        String label;
        if (success) {
            ((ObjectNode) message.get("data")).put("out", "bad\u0000byte");
            label = "NUL at data.out";
        } else {
            ((ObjectNode) message.get("error")).put("message", "bad\u0000byte");
            label = "NUL at error.message";
        }
        messages.sign(message, task.workerId(), List.of());
        return http.send(requests.probe("result", label, "POST", "/_worker/tasks/result", task.workerId(),
                FuzzHttp.json(message), Expect.NO_SERVER_ERROR));
    }

    /** The clean result a worker would send; the task must end with it unless it has ended already. */
    public FuzzHttp.Answer cleanResult(WorkerMessages.Task task) {
        ObjectNode message = WorkerMessages.result(task, true);
        messages.sign(message, task.workerId(), List.of());
        return http.send(requests.probe("result", "none", "POST", "/_worker/tasks/result", task.workerId(),
                FuzzHttp.json(message), Expect.NO_SERVER_ERROR));
    }

    public void fuzzEvent(String workerId, String jobId, String taskId) {
        ObjectNode base = WorkerMessages.event(new UUID(poison.random().nextLong(), poison.random().nextLong())
                .toString(), workerId, jobId, taskId);
        if (poison.chance(0.1)) {
            sendRaw("event", "POST", "/_worker/events", workerId, base);
            return;
        }
        List<String> kept = new ArrayList<>(envelope());
        kept.add("event_type");
        send("event", poison.mutate(base, kept), "POST", "/_worker/events", workerId, List.of("bubbling_chain"));
    }

    public void fuzzHeartbeat(String workerId, List<String> currentTasks) {
        ObjectNode base = WorkerMessages.heartbeat(workerId, currentTasks);
        String path = "/_worker/workers/" + WorkerRequests.encode(workerId);
        switch (poison.random().nextInt(10)) {
            case 0 -> sendRaw("heartbeat", "PATCH", path, workerId, base);
            case 1 -> http.send(requests.probe("heartbeat", "empty body", "PATCH", path, workerId, new byte[0],
                    Expect.NO_SERVER_ERROR));
            case 2 -> {
                // issue 12: a status of 1 (a number) or of 1,000 characters must be refused
                boolean number = poison.chance(0.5);
                if (number) {
                    base.put("status", 1);
                } else {
                    base.put("status", "s".repeat(1_000));
                }
                messages.sign(base, workerId, List.of());
                http.send(requests.probe("heartbeat", number ? "status 1 (number)" : "status of 1000 chars", "PATCH", path,
                        workerId, FuzzHttp.json(base), Expect.REFUSE));
            }
            default -> send("heartbeat", poison.mutate(base, envelope()), "PATCH", path, workerId, List.of());
        }
    }

    /** Protects the worker id most of the time; when it is mutated too, the gate must refuse with 4xx. */
    private List<String> envelope() {
        return poison.chance(0.9) ? WorkerMessages.ENVELOPE : List.of("timestamp", "security");
    }

    private FuzzHttp.Answer send(String endpoint, Poison.Mutation mutation, String method, String path,
            String workerId, List<String> ignored) {
        String signer = text(mutation.tree(), "worker_id", workerId);
        boolean signed = messages.sign(mutation.tree(), signer, ignored);
        String label = mutation.label() + (signed ? "" : " (unsignable)");
        Map<String, String> headers = requests.headers(workerId);
        String finalLabel = label;
        Expect expect = Expect.NO_SERVER_ERROR;
        if (poison.chance(0.08)) {
            // a broken envelope around the same content: the gate must refuse before anything is read
            String broken = poison.pick(List.of("no token", "wrong token", "other worker id", "text/plain"));
            switch (broken) {
                case "no token" -> headers.remove("X-Worker-Token");
                case "wrong token" -> headers.put("X-Worker-Token", "wrong-token");
                case "other worker id" -> headers.put("X-Worker-ID", "fuzz-other-worker");
                default -> headers.put("Content-Type", "text/plain");
            }
            finalLabel = broken + " + " + label;
            // a heartbeat names its worker in the path, which wins over X-Worker-ID (PROTOCOL.md §4.1)
            boolean harmless = "text/plain".equals(broken)
                    || "other worker id".equals(broken) && "heartbeat".equals(endpoint);
            expect = harmless ? Expect.NO_SERVER_ERROR : Expect.REFUSE;
        }
        return http.send(new Probe(endpoint, finalLabel, method, requests.url(path), headers, FuzzHttp.json(mutation.tree()),
                expect));
    }

    /** A clean message of {@code workerId}, signed: for the races, where the timing is the mutation. */
    Probe signed(String endpoint, String label, String method, String path, String workerId, ObjectNode message,
            List<String> ignored) {
        messages.sign(message, workerId, ignored);
        return requests.probe(endpoint, label, method, path, workerId, FuzzHttp.json(message), Expect.NO_SERVER_ERROR);
    }

    private void sendRaw(String endpoint, String method, String path, String workerId, ObjectNode base) {
        messages.sign(base, workerId, List.of());
        RawBodies.Raw body = raw.malform(FuzzHttp.json(base));
        http.send(requests.probe(endpoint, body.label(), method, path, workerId, body.body(),
                body.mustRefuse() ? Expect.REFUSE : Expect.NO_SERVER_ERROR));
    }

    private static String text(ObjectNode message, String field, String fallback) {
        JsonNode value = message.get(field);
        return value != null && value.isTextual() ? value.textValue() : fallback;
    }
}
