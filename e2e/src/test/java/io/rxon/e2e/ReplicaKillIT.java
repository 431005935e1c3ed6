package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica killed with SIGKILL under load ({@link ReplicaFleet}: three orchestrator processes on
 * one PostgreSQL behind a round-robin proxy, packaged long-poll and push workers and clients that
 * know only the proxy). The replica killed is not the one whose embedded PostgreSQL they share:
 * in production the database is elsewhere.
 */
class ReplicaKillIT {

    private static final int JOBS = 2_000;
    private static final int KILLED = 2;

    // kept when a test fails: the processes' logs are in logs/
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void aReplicaKilledUnderLoadShouldLoseNothingAcceptedAndItsWorkersShouldMoveToTheOthers() throws Exception {
        try (ReplicaFleet fleet = ReplicaFleet.start(dataDir)) {
            // given long-poll and push workers and four clients, all knowing only the proxy, submitting 2,000 jobs:
            // echo, and every tenth a 1 s sleep, so that tasks are running on the workers when the replica dies
            fleet.startWorker("poll-worker-1", false, 4);
            fleet.startWorker("poll-worker-2", false, 4);
            fleet.startWorker("push-worker-1", true, 4);
            fleet.startWorker("push-worker-2", true, 4);
            JobLoad load = new JobLoad(fleet, 4, JOBS, n -> n % 10 == 0
                    ? Map.of("type", "sleep", "params", Map.of("seconds", 1))
                    : Map.of("type", "echo", "params", Map.of("n", n)));
            int acceptedBeforeKill;
            try (load) {
                await().atMost(ReplicaFleet.LOAD_WAIT).until(() -> load.acceptedCount() >= JOBS / 3);

                // when one replica is killed (SIGKILL) in the middle of it
                fleet.replicas.get(KILLED).kill();
                acceptedBeforeKill = load.acceptedCount();
                load.awaitSubmitted();
            }

            // then every job accepted (202) finished exactly once in effect, with its own result; tasks the
            // dead replica had handed out were finished by their workers or handed out again
            List<String> jobIds = load.jobIds();
            assertThat(load.unexpected).as("answers other than 202").isEmpty();
            ExactlyOnce.awaitFinished(fleet, jobIds);
            Map<String, String> echoes = new HashMap<>();
            Map<String, String> sleeps = new HashMap<>();
            load.accepted.forEach((jobId, n) -> {
                if (n % 10 == 0) {
                    sleeps.put(jobId, "1.0");
                } else {
                    echoes.put(jobId, Integer.toString(n));
                }
            });
            List<ClientApi> alive = List.of(fleet.clients.get(0), fleet.clients.get(1));
            ExactlyOnce.assertFinishedOnce(fleet, echoes, "n", alive);
            ExactlyOnce.assertFinishedOnce(fleet, sleeps, "slept_seconds", alive);
            System.out.printf("replica killed after %d jobs accepted; %d submissions unanswered; %d task attempts "
                    + "handed out again%n", acceptedBeforeKill, load.unanswered.size(), fleet.count(
                    "SELECT count(*) FROM tasks WHERE job_id = ANY(?) AND attempt > 1", jobIds));
            // and no task is left assigned or pending anywhere (also of submissions whose answer was lost)
            assertThat(fleet.count("SELECT count(*) FROM tasks WHERE status IN ('assigned', 'pending')", List.of()))
                    .isZero();

            // and every worker, whichever replicas its connections were on, ran jobs accepted after the kill
            List<String> afterKill = jobIds.subList(acceptedBeforeKill, jobIds.size());
            assertThat(afterKill).hasSizeGreaterThan(JOBS / 2);
            Map<String, String> byWorker = fleet.pairs("""
                    SELECT assigned_worker_id, count(*) FROM jobs WHERE id = ANY(?) GROUP BY assigned_worker_id""",
                    afterKill);
            assertThat(byWorker).containsOnlyKeys(fleet.workers.keySet());
            fleet.workers.values().forEach(worker -> assertThat(worker.isAlive()).isTrue());
        }
    }
}
