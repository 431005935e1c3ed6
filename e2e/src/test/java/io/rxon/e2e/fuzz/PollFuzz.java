package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes of the long-poll {@code GET /_worker/workers/{id}/tasks/next}: ill-formed and reserved
 * worker ids, bad timeouts, hostile skill lists. A timeout of 0 means the server's maximum, so
 * polls ask for 10 ms. Every task a poll claims is kept, so that the run can finish it.
 */
public final class PollFuzz {

    private final WorkerRequests requests;
    private final Poison poison;
    private final FuzzHttp http;
    /** Tasks claimed by any poll, fuzzed or not: each must end before the run does. */
    private final List<WorkerMessages.Task> claimed = new ArrayList<>();

    public PollFuzz(WorkerRequests requests, Poison poison, FuzzHttp http) {
        this.requests = requests;
        this.poison = poison;
        this.http = http;
    }

    public List<WorkerMessages.Task> claimed() {
        return claimed;
    }

    /** A poll with a 10 ms timeout by this worker (0 means the server's maximum): claims one task when there is one. */
    public void poll(String workerId) {
        sendPoll("none", workerId, "timeout=0.01", Expect.NO_SERVER_ERROR);
    }

    public void fuzzPoll(String workerId) {
        String id = workerId;
        String query = "timeout=0.01";
        String label;
        Expect expect = Expect.NO_SERVER_ERROR;
        switch (poison.random().nextInt(4)) {
            case 0 -> {
                Poison.Value value = poison.string();
                id = value.node().textValue().isEmpty() ? "GHOST" : value.node().textValue();
                label = value.label() + " in worker id";
                expect = WorkerRequests.validId(id) ? Expect.NO_SERVER_ERROR : Expect.REFUSE;
            }
            case 1 -> {
                String timeout = poison.pick(List.of("abc", "-1", "NaN", "Infinity", "1e400", "", "0x10", "1,5",
                        "\u0000", "-0", "0.0000000001", "99999999999999999999999999"));
                label = "timeout=" + Probe.excerpt(timeout, 30);
                query = "timeout=" + WorkerRequests.encode(timeout);
                expect = List.of("abc", "-1", "NaN", "Infinity", "0x10", "1,5", "\u0000").contains(timeout)
                        ? Expect.REFUSE : Expect.NO_SERVER_ERROR;
                if (expect == Expect.NO_SERVER_ERROR && !timeout.startsWith("0") && !timeout.equals("-0")) {
                    // a valid long timeout would park the poll for the server's maximum: keep it short
                    query = "timeout=0.01";
                }
            }
            case 2 -> {
                Poison.Value skill = poison.string();
                label = skill.label() + " in available_skills";
                query = "timeout=0.01&available_skills=" + WorkerRequests.encode(WorkerMessages.SKILL + "," + skill.node().textValue());
            }
            default -> {
                label = "reserved or foreign worker id";
                id = poison.pick(List.of("GHOST", "ghost", "../../api", "a/b", "..", ".", "x y", "%2e%2e"));
                expect = Expect.REFUSE;
            }
        }
        sendPoll(label, id, query, expect);
    }

    private void sendPoll(String label, String workerId, String query, Expect expect) {
        String path = "/_worker/workers/" + WorkerRequests.encode(workerId) + "/tasks/next?" + query;
        FuzzHttp.Answer answer = http.send(requests.probe("poll", label, "GET", path, requests.headers(workerId), new byte[0], expect));
        if (answer.status() == 200) {
            JsonNode task = Json.tree(answer.body().getBytes(StandardCharsets.UTF_8));
            claimed.add(new WorkerMessages.Task(workerId, task.path("job_id").asText(), task.path("task_id").asText()));
        }
    }
}
