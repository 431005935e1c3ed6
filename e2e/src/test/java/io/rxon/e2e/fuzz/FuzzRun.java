package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.e2e.fuzz.Probe.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One seeded run: a mix of client and worker probes in a random order, with real jobs submitted
 * and claimed along the way so that results and events carry ids that exist. Every claimed task is
 * answered with a clean result at the end, as a worker would after its fuzzed attempts; a task
 * whose result was refused must not keep its job running.
 */
public final class FuzzRun {

    public static final String WORKER = "fuzz-worker";
    public static final String HEARTBEAT_WORKER = "fuzz-hb-worker";

    private final String baseUrl;
    private final Poison poison;
    private final FuzzHttp http;
    private final ClientFuzz client;
    private final WorkerFuzz worker;
    private final PollFuzz polls;
    private final SocketFuzz socket;
    private final RawHttp raw;
    private final PushFuzz push;
    private final RaceFuzz races;
    private final JobTable table;
    private final List<WorkerMessages.Task> open = new ArrayList<>();
    private final List<WorkerMessages.Task> seen = new ArrayList<>();
    private int readinessChecks;
    private int refusedUnstorable;

    public FuzzRun(String baseUrl, String clientToken, String workerToken, long seed) {
        this.baseUrl = baseUrl;
        this.poison = new Poison(new Random(seed));
        this.http = new FuzzHttp();
        this.client = new ClientFuzz(baseUrl, clientToken, poison, http);
        WorkerRequests requests = new WorkerRequests(baseUrl, workerToken);
        this.worker = new WorkerFuzz(requests, poison, http);
        this.polls = new PollFuzz(requests, poison, http);
        this.socket = new SocketFuzz(baseUrl, workerToken, poison, http);
        this.push = new PushFuzz(baseUrl, workerToken, poison, http, requests);
        this.races = new RaceFuzz(poison, http, client, worker, requests);
        this.raw = new RawHttp(baseUrl, clientToken, workerToken, poison, http);
        this.table = new JobTable(http.client(), baseUrl, clientToken);
    }

    public FuzzHttp http() {
        return http;
    }

    public JobTable table() {
        return table;
    }

    public int acceptedSubmissions() {
        return client.accepted();
    }

    /** Results with a NUL refused with a 4xx, after which the job was checked not to be left running. */
    public int refusedUnstorable() {
        return refusedUnstorable;
    }

    public int pushedTasks() {
        return push.pushedCount();
    }

    public int readinessChecks() {
        return readinessChecks;
    }

    /** Sends about {@code requests} probes (HTTP requests, socket upgrades and frames). */
    public void run(int requests) throws Exception {
        worker.register(WORKER);
        worker.register(HEARTBEAT_WORKER);
        socket.connect(WORKER);
        push.start();
        int step = 0;
        while (http.sent() < requests) {
            step++;
            if (step % 100 == 0) {
                checkReadiness();
            }
            int roll = poison.random().nextInt(100);
            if (roll < 18) {
                client.fuzzSubmit();
            } else if (roll < 24) {
                client.submitValid();
                polls.poll(WORKER);
                collectClaims();
            } else if (roll < 33) {
                client.fuzzJobPath();
            } else if (roll < 37) {
                client.fuzzList();
            } else if (roll < 41) {
                client.fuzzWorkersAndBlobs();
            } else if (roll < 43) {
                client.fuzzAuthentication();
            } else if (roll < 51) {
                worker.fuzzRegistration("fuzz-reg-" + poison.random().nextInt(5));
            } else if (roll < 57) {
                polls.fuzzPoll(WORKER);
                collectClaims();
            } else if (roll < 64) {
                worker.fuzzHeartbeat(HEARTBEAT_WORKER, seen.stream().map(WorkerMessages.Task::taskId).limit(3).toList());
            } else if (roll < 72) {
                WorkerMessages.Task task = anyTask();
                worker.fuzzEvent(task.workerId(), task.jobId(), task.taskId());
            } else if (roll < 82) {
                answerOneTask();
            } else if (roll < 84) {
                race();
            } else if (roll < 85) {
                socket.fuzzUpgrade(WORKER);
            } else if (roll < 87) {
                fuzzPush();
            } else if (roll < 90) {
                raw.fuzz();
            } else {
                socket.fuzzFrame(WORKER, anyTask());
            }
        }
        while (!open.isEmpty()) {
            answerOneTask();
        }
        push.drain();
        push.close();
        socket.close();
        races.close();
        checkReadiness();
    }

    /** A job for the push worker, a credit, or answers to what was pushed. */
    private void fuzzPush() throws Exception {
        int roll = poison.random().nextInt(3);
        if (roll == 0) {
            client.submitValid(PushFuzz.SKILL);
        } else if (roll == 1) {
            push.fuzzCredit();
        } else {
            push.answerOne();
        }
    }

    /** Colliding requests on the oldest open task (taken out of the normal flow), or on a new worker. */
    private void race() throws Exception {
        if (open.isEmpty() || poison.chance(0.2)) {
            races.raceRegistration();
            return;
        }
        races.raceOn(open.remove(0));
    }

    private void collectClaims() {
        open.addAll(polls.claimed());
        seen.addAll(polls.claimed());
        polls.claimed().clear();
    }

    /** A claimed task if there is one, else made-up ids (events and frames for unknown jobs are probes too). */
    private WorkerMessages.Task anyTask() {
        if (!seen.isEmpty() && poison.chance(0.85)) {
            return poison.pick(seen);
        }
        return new WorkerMessages.Task(WORKER, "no-such-job-" + poison.random().nextInt(1000), "no-such-task");
    }

    /** Fuzzed results for one open task, then perhaps an unstorable one, then the clean one. */
    private void answerOneTask() {
        if (open.isEmpty()) {
            return;
        }
        WorkerMessages.Task task = open.remove(0);
        if (worker.fuzzResults(task, 1 + poison.random().nextInt(6))) {
            return;
        }
        if (poison.chance(0.5)) {
            FuzzHttp.Answer answer = worker.unstorableResult(task);
            if (answer.accepted() && answer.body().contains("\"accepted\"")) {
                return;
            }
            if (answer.status() >= 400 && answer.status() < 500) {
                refusedUnstorable++;
                JsonNode job = table.job(task.jobId());
                if ("running".equals(job.path("status").asText())
                        && task.taskId().equals(job.path("current_task_id").asText())) {
                    http.report(new Finding("job left running after its result was refused", new Probe("result",
                            "NUL in result", "POST", baseUrl + "/_worker/tasks/result", Map.of(), new byte[0],
                            Expect.NO_SERVER_ERROR), answer.status(), answer.body()));
                }
            }
        }
        worker.cleanResult(task);
    }

    private void checkReadiness() {
        readinessChecks++;
        http.send(new Probe("readiness", "during fuzz", "GET", baseUrl + "/q/health/ready", Map.of(), new byte[0],
                Expect.NO_SERVER_ERROR));
    }
}
