package io.rxon.orchestrator.dispatch;

import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.matching.Requirements;
import io.rxon.orchestrator.job.ClaimedTask;
import io.rxon.orchestrator.job.TaskClaims;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Polls of workers with the same skills that arrive together each get a task while there are
 * enough, never the same one, the most urgent ones first; tasks with requirements at the head of
 * the queue are left to the workers that meet them, and the others find what they can take behind.
 */
@QuarkusTest
class SimultaneousPollsTest {

    private static final BiPredicate<String, Requirements> ANY = (type, requirements) -> true;
    private static final BiPredicate<String, Requirements> NO_REQUIREMENTS =
            (type, requirements) -> requirements.equals(Requirements.NONE);

    @Inject
    TaskClaims claims;

    @Test
    void shouldGiveEverySimultaneousPollATaskNeverTheSameOneAndTheUrgentOnesFirst() {
        // Five rounds: a poll whose head was just taken by another is a race, seen in some rounds only.
        for (int round = 0; round < 5; round++) {
            // given 20 pending tasks of one skill, 12 of them more urgent than the rest
            String skill = uniqueSkill("batch");
            List<String> urgent = IntStream.range(0, 12).mapToObj(i -> submit(skill, Map.of("priority", 5))).toList();
            IntStream.range(0, 8).forEach(i -> submit(skill, Map.of("priority", 1)));

            // when 12 workers with that skill poll at once
            List<String> claimed = Uni.join().all(IntStream.range(0, 12)
                            .mapToObj(i -> claims.claimNext("batch-worker-" + i, List.of(skill), ANY, 60_000)
                                    .map(TaskClaims.ClaimAttempt::claimed))
                            .toList()).andFailFast()
                    .await().atMost(Duration.ofSeconds(30))
                    .stream().flatMap(Optional::stream).map(task -> task.payload().jobId()).toList();

            // then every poll got a task (a head another poll took first is skipped, not a reason to come
            // back empty), none got a task twice, and the urgent ones went before any other
            assertThat(claimed).as("round %d", round)
                    .hasSize(12).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(urgent);
        }
    }

    @Test
    void shouldNeverHandATaskWithRequirementsToAWorkerThatDoesNotMeetThem() {
        // given a task with requirements at the head of the queue and plain tasks behind it
        String skill = uniqueSkill("batch-req");
        String demanding = submit(skill, Map.of("priority", 9, "requirements", Map.of("skill_version", "2")));
        List<String> plain = IntStream.range(0, 4).mapToObj(i -> submit(skill, Map.of("priority", 1))).toList();

        // when four workers that meet no requirement poll at once
        List<Optional<ClaimedTask>> claimed = Uni.join().all(IntStream.range(0, 4)
                        .mapToObj(i -> claims.claimNext("batch-plain-" + i, List.of(skill), NO_REQUIREMENTS, 60_000)
                                .map(TaskClaims.ClaimAttempt::claimed))
                        .toList()).andFailFast()
                .await().atMost(Duration.ofSeconds(30));

        // then none of them got the demanding task, none got a task twice, and a worker that meets it gets it
        List<String> jobs = claimed.stream().flatMap(Optional::stream).map(task -> task.payload().jobId()).toList();
        assertThat(jobs).doesNotContain(demanding).doesNotHaveDuplicates().isSubsetOf(plain);
        Optional<ClaimedTask> capable = claims.claimNext("batch-capable", List.of(skill), ANY, 60_000)
                .await().atMost(Duration.ofSeconds(10)).claimed();
        assertThat(capable).hasValueSatisfying(task -> assertThat(task.payload().jobId()).isEqualTo(demanding));
    }

    @Test
    void shouldFindATaskTheWorkerCanTakeBehindMorePagesOfTasksItCannot() {
        // given 150 urgent tasks that need a skill version no plain worker has, and one plain task behind them
        String skill = uniqueSkill("behind");
        IntStream.range(0, 150).forEach(i -> submit(skill, Map.of("priority", 9,
                "requirements", Map.of("skill_version", "2"))));
        String plain = submit(skill, Map.of("priority", 1));

        // when a worker that meets no requirement polls
        Optional<ClaimedTask> claimed = claims.claimNext("behind-plain", List.of(skill), NO_REQUIREMENTS, 60_000)
                .await().atMost(Duration.ofSeconds(10)).claimed();

        // then it gets the plain task instead of parking beside it
        assertThat(claimed).hasValueSatisfying(task -> assertThat(task.payload().jobId()).isEqualTo(plain));
    }
}
