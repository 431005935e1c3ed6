package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * "Finished exactly once in effect", read where it is recorded: in the shared tables every job is
 * finished, with exactly one {@code job_finished} event, exactly one succeeded task attempt (a
 * worker may have run a task twice after a crash, at least once; only one result was accepted) and
 * its own result; through the client API of every replica, a sample reads the same.
 */
final class ExactlyOnce {

    private static final String UNFINISHED = "SELECT count(*) FROM jobs WHERE id = ANY(?) AND status <> 'finished'";
    private static final String ENDED_OTHERWISE = """
            SELECT count(*) FROM jobs WHERE id = ANY(?) AND status IN ('failed', 'cancelled', 'quarantined')""";

    private ExactlyOnce() {}

    /**
     * Waits until no job of {@code jobIds} is left unfinished in the database; fails at once when
     * one ended otherwise (failed, quarantined), and in either case says where they are stuck.
     */
    static void awaitFinished(ReplicaFleet fleet, List<String> jobIds) {
        try {
            await("every accepted job finished").atMost(ReplicaFleet.LOAD_WAIT)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        assertThat(fleet.count(ENDED_OTHERWISE, jobIds)).as("jobs ended otherwise").isZero();
                        return fleet.count(UNFINISHED, jobIds) == 0;
                    });
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "; jobs left unfinished (job status, task status, worker, "
                    + "attempt, count): " + fleet.rows("""
                            SELECT j.status, t.status, t.worker_id, t.attempt, count(*)
                            FROM jobs j LEFT JOIN tasks t ON t.id = j.current_task_id
                            WHERE j.id = ANY(?) AND j.status <> 'finished' GROUP BY 1, 2, 3, 4""", jobIds)
                    + "; their attempts (attempt, worker, status, ms from creation to dispatch, from dispatch to the "
                    + "end): " + fleet.rows("""
                            SELECT t.job_id, t.attempt, t.worker_id, t.status, t.dispatched_at - t.created_at,
                                   t.finished_at - t.dispatched_at
                            FROM tasks t WHERE t.job_id IN (SELECT id FROM jobs WHERE id = ANY(?)
                                                            AND status <> 'finished' LIMIT 3)
                            ORDER BY t.job_id, t.attempt""", jobIds)
                    + "; ms from dispatch to the accepted result, p50 p90 p99 max: " + fleet.rows("""
                            SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99, 1]) WITHIN GROUP
                                   (ORDER BY t.finished_at - t.dispatched_at)
                            FROM tasks t WHERE t.job_id = ANY(?) AND t.status = 'succeeded'""", jobIds), e);
        }
    }

    /**
     * Asserts that each job of {@code expected} (job id → the text its result's {@code field} must
     * have) finished once with that result, and that the client API of each of {@code readers} (the
     * replicas alive) answers so for a sample of them.
     */
    static void assertFinishedOnce(ReplicaFleet fleet, Map<String, String> expected, String field,
            List<ClientApi> readers) {
        List<String> jobIds = new ArrayList<>(expected.keySet());
        assertThat(fleet.count("SELECT count(*) FROM jobs WHERE id = ANY(?) AND status = 'finished'", jobIds))
                .as("jobs finished").isEqualTo(jobIds.size());
        assertThat(fleet.rows("""
                SELECT job_id FROM job_events WHERE job_id = ANY(?) AND type = 'job_finished'
                GROUP BY job_id HAVING count(*) > 1""", jobIds)).as("jobs finished more than once").isEmpty();
        assertThat(fleet.count("SELECT count(*) FROM job_events WHERE job_id = ANY(?) AND type = 'job_finished'",
                jobIds)).as("job_finished events").isEqualTo(jobIds.size());
        assertThat(fleet.rows("""
                SELECT job_id FROM tasks WHERE job_id = ANY(?) AND status = 'succeeded'
                GROUP BY job_id HAVING count(*) > 1""", jobIds)).as("jobs with more than one accepted result")
                .isEmpty();
        assertThat(fleet.count("SELECT count(*) FROM tasks WHERE job_id = ANY(?) AND status = 'succeeded'", jobIds))
                .as("accepted results").isEqualTo(jobIds.size());
        assertThat(fleet.pairs("SELECT id, result ->> '" + field + "' FROM jobs WHERE id = ANY(?)", jobIds))
                .as("results").isEqualTo(expected);
        // every 50th job read back through each reader in turn
        for (int i = 0; i < jobIds.size(); i += 50) {
            JsonNode job = readers.get(i / 50 % readers.size()).job(jobIds.get(i));
            assertThat(job.get("status").asText()).isEqualTo("finished");
            assertThat(job.at("/result/" + field).asText()).isEqualTo(expected.get(jobIds.get(i)));
        }
    }
}
