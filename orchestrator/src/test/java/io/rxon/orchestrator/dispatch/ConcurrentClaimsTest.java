package io.rxon.orchestrator.dispatch;

import io.rxon.orchestrator.job.TaskClaims;
import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two orchestrators on one database never hand a task to two workers: this test plays a second
 * orchestrator with its own connection pool and lets both race for the same pending tasks, by
 * polling (claim next) and by offering (claim this one), many at once.
 */
@QuarkusTest
class ConcurrentClaimsTest {

    static final int TASKS = 120;
    static final int CLAIMERS_PER_INSTANCE = 6;

    @Inject
    TaskClaims ours;

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Test
    void shouldNeverAssignATaskTwiceWhenTwoInstancesRace() {
        // given pending tasks and a second orchestrator's claims on its own pool
        String skill = uniqueSkill("race");
        List<String> jobIds = IntStream.range(0, TASKS).mapToObj(i -> submit(skill, Map.of())).toList();
        Pool otherPool = OtherInstancePool.open(vertx, "rxon-racing-instance", 8);
        TaskClaims theirs = new TaskClaims(otherPool, Clock.systemUTC(), Optional.empty());

        // when both instances claim concurrently: pollers take the next task, offerers name one
        List<Uni<List<String>>> claimers = new ArrayList<>();
        for (int i = 0; i < CLAIMERS_PER_INSTANCE; i++) {
            claimers.add(drain(ours, "ours-" + i, skill));
            claimers.add(drain(theirs, "theirs-" + i, skill));
        }
        List<String> offered = new ArrayList<>(taskIdsOf(skill));
        Collections.shuffle(offered);
        claimers.add(offerAll(theirs, "offer-theirs", offered));
        claimers.add(offerAll(ours, "offer-ours", offered));
        List<String> claimed = Uni.join().all(claimers).andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).toList())
                .await().atMost(Duration.ofSeconds(60));

        // then every task was claimed exactly once, and every job is running exactly once
        assertThat(claimed).hasSize(TASKS).doesNotHaveDuplicates();
        assertThat(jobIds).allSatisfy(jobId -> assertThat(job(jobId))
                .containsEntry("status", "running").containsEntry("attempts", 1));
        otherPool.closeAndAwait();
    }

    @Test
    void shouldLetClientsCancelWhileWorkersClaimWithoutEitherFailing() throws Exception {
        // given pending jobs
        String skill = uniqueSkill("cancel-race");
        List<String> jobIds = IntStream.range(0, 60).mapToObj(i -> submit(skill, Map.of())).toList();

        // when a client cancels every one of them while two instances' workers claim them
        Pool otherPool = OtherInstancePool.open(vertx, "rxon-cancel-racing-instance", 4);
        TaskClaims theirs = new TaskClaims(otherPool, Clock.systemUTC(), Optional.empty());
        Uni<List<List<String>>> claiming = Uni.join().all(List.of(drain(ours, "ours-c", skill),
                drain(theirs, "theirs-c", skill), drain(ours, "ours-d", skill))).andFailFast();
        CompletableFuture<List<List<String>>> claims = claiming.subscribeAsCompletionStage();
        List<Integer> cancelStatuses = jobIds.parallelStream().map(jobId -> given()
                        .header("Authorization", "Bearer " + CLIENT_TOKEN)
                        .when().post("/api/v1/jobs/" + jobId + "/cancel")
                        .then().extract().statusCode())
                .toList();

        // then no claim and no cancellation failed (neither was chosen as a deadlock victim), and every job is cancelled
        claims.get(60, TimeUnit.SECONDS);
        assertThat(cancelStatuses).containsOnly(200);
        assertThat(jobIds).allSatisfy(jobId -> assertThat(job(jobId)).containsEntry("status", "cancelled"));
        otherPool.closeAndAwait();
    }

    private static Uni<List<String>> drain(TaskClaims claims, String workerId, String skill) {
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        return Multi.createBy().repeating()
                .uni(() -> claims.claimNext(workerId, List.of(skill), (type, requirements) -> true, 60_000)
                        .map(TaskClaims.ClaimAttempt::claimed))
                .whilst(Optional::isPresent)
                .filter(Optional::isPresent)
                .map(task -> task.get().payload().taskId())
                .invoke(claimed::add)
                .collect().last()
                .map(ignored -> List.copyOf(claimed));
    }

    private static Uni<List<String>> offerAll(TaskClaims claims, String workerId, List<String> taskIds) {
        return Multi.createFrom().iterable(taskIds)
                .onItem().transformToUniAndMerge(taskId -> claims.claim(taskId, workerId, 60_000))
                .filter(Optional::isPresent)
                .map(task -> task.get().payload().taskId())
                .collect().asList();
    }

    private List<String> taskIdsOf(String skill) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM tasks WHERE status = 'pending' AND type = $1").execute(Tuple.of(skill))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> ids.add(row.getString("id")));
        return ids;
    }
}
