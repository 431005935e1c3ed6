package io.rxon.e2e.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Valid requests that collide: for one claimed task, two successes, a failure, a cancel, the same
 * event twice, a heartbeat and a read, all released at once; and one new worker registered by
 * several requests at once. Conflicts must end in a defined answer (accepted, ignored, 409), never
 * in a 5xx from a lost race in the database. The requests are seeded; their interleaving is not.
 */
public final class RaceFuzz implements AutoCloseable {

    private final WorkerRequests requests;
    private final Poison poison;
    private final FuzzHttp http;
    private final ClientFuzz client;
    private final WorkerFuzz worker;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private int registrations;

    public RaceFuzz(Poison poison, FuzzHttp http, ClientFuzz client, WorkerFuzz worker, WorkerRequests requests) {
        this.requests = requests;
        this.poison = poison;
        this.http = http;
        this.client = client;
        this.worker = worker;
    }

    /** Everything at once on {@code task}, a task of {@code workerId} no one else will answer. */
    public void raceOn(WorkerMessages.Task task) throws Exception {
        String workerId = task.workerId();
        String eventId = new UUID(poison.random().nextLong(), poison.random().nextLong()).toString();
        String jobPath = "/api/v1/jobs/" + task.jobId();
        List<Probe> probes = new ArrayList<>();
        probes.add(worker.signed("result", "race: success", "POST", "/_worker/tasks/result", workerId,
                WorkerMessages.result(task, true), List.of()));
        probes.add(worker.signed("result", "race: success again", "POST", "/_worker/tasks/result", workerId,
                WorkerMessages.result(task, true), List.of()));
        probes.add(worker.signed("result", "race: failure", "POST", "/_worker/tasks/result", workerId,
                WorkerMessages.result(task, false), List.of()));
        for (int i = 0; i < 2; i++) {
            probes.add(worker.signed("event", "race: same event id", "POST", "/_worker/events", workerId,
                    WorkerMessages.event(eventId, workerId, task.jobId(), task.taskId()), List.of("bubbling_chain")));
        }
        probes.add(worker.signed("heartbeat", "race: heartbeat", "PATCH", "/_worker/workers/" + workerId, workerId,
                WorkerMessages.heartbeat(workerId, List.of(task.taskId())), List.of()));
        if (poison.chance(0.7)) {
            probes.add(client.onJob("cancel job", "POST", jobPath + "/cancel"));
        }
        probes.add(client.onJob("get job", "GET", jobPath));
        releaseTogether(probes);
    }

    /**
     * One new worker registered by several requests at once, or registered twice while its first
     * heartbeats (one signed, one empty) arrive. No poll: a task claimed here would have nobody to finish it.
     */
    public void raceRegistration() throws Exception {
        String workerId = "fuzz-race-" + (++registrations);
        boolean withHeartbeats = poison.chance(0.5);
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < (withHeartbeats ? 2 : 4); i++) {
            probes.add(worker.signed("register", "race: same new worker", "POST", "/_worker/workers/register",
                    workerId, WorkerMessages.registration(workerId), List.of()));
        }
        if (withHeartbeats) {
            String path = "/_worker/workers/" + workerId;
            probes.add(worker.signed("heartbeat", "race: first heartbeat of a new worker", "PATCH", path, workerId,
                    WorkerMessages.heartbeat(workerId, List.of()), List.of()));
            probes.add(requests.probe("heartbeat", "race: empty heartbeat of a new worker", "PATCH", path, workerId,
                    new byte[0], Probe.Expect.NO_SERVER_ERROR));
        }
        releaseTogether(probes);
    }

    private void releaseTogether(List<Probe> probes) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (Probe probe : probes) {
            sent.add(pool.submit(() -> {
                start.await();
                return http.send(probe);
            }));
        }
        start.countDown();
        for (Future<?> future : sent) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
