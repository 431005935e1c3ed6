package io.rxon.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an idle worker's claim may be skipped, and every event that makes it query again. */
class EmptyClaimsTest {

    private static final long TRUST = 10_000;
    private static final String WORKER = "w1";

    private final EmptyClaims emptyClaims = new EmptyClaims(TRUST);
    private final WorkerRegistration registration = registration("echo", "resize");

    @Test
    void shouldQueryWhenTheWorkerHasNoEmptyClaimYet() {
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 0)).isFalse();
    }

    @Test
    void shouldSkipWhileNothingWasOfferedSinceTheLastEmptyClaim() {
        // given an empty claim for both skills
        emptyClaim(List.of("echo", "resize"), 1_000, false);

        // then a claim for them, or for fewer of them, may be skipped within the trust interval
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo", "resize"), 2_000)).isTrue();
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("resize"), 2_000)).isTrue();
    }

    @Test
    void shouldQueryWhenATaskOfOneOfItsSkillsWasOffered() {
        emptyClaim(List.of("echo", "resize"), 1_000, false);

        emptyClaims.offered("resize");

        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo", "resize"), 2_000)).isFalse();
    }

    @Test
    void shouldQueryWhenAnOfferCameWhileTheClaimWasRunning() {
        // given a claim that started, then a task was offered before it ended empty
        EmptyClaims.Snapshot snapshot = emptyClaims.snapshot(List.of("echo"), 1_000);
        emptyClaims.offered("echo");
        emptyClaims.claimEnded(WORKER, registration, snapshot, false, false);

        // then the next claim queries
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 2_000)).isFalse();
    }

    @Test
    void shouldQueryForASkillTheEmptyClaimDidNotCover() {
        emptyClaim(List.of("echo"), 1_000, false);

        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo", "resize"), 2_000)).isFalse();
    }

    @Test
    void shouldQueryOnceTheEmptyClaimIsOlderThanTheTrustInterval() {
        emptyClaim(List.of("echo"), 1_000, false);

        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 1_000 + TRUST - 1)).isTrue();
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 1_000 + TRUST)).isFalse();
    }

    @Test
    void shouldQueryAfterTheWorkerRegisteredAgain() {
        emptyClaim(List.of("echo"), 1_000, false);

        assertThat(emptyClaims.nothingNew(WORKER, registration("echo", "resize"), List.of("echo"), 2_000)).isFalse();
    }

    @Test
    void shouldQueryWhenAnotherWorkersClaimReadCandidatesOfItsSkills() {
        // given our empty claim, then another worker's claim that read (and locked) candidate rows
        emptyClaim(List.of("echo"), 1_000, false);
        EmptyClaims.Snapshot theirs = emptyClaims.snapshot(List.of("echo"), 1_500);
        emptyClaims.claimEnded("w2", registration, theirs, true, false);

        // then we query: our claim may have skipped those rows
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 2_000)).isFalse();
    }

    @Test
    void shouldStillSkipAfterItsOwnClaimSawOnlyTasksItCannotTake() {
        emptyClaim(List.of("echo", "resize"), 1_000, true);

        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo", "resize"), 2_000)).isTrue();
    }

    @Test
    void shouldForgetTheEmptyClaimWhenAClaimFindsATaskOrFails() {
        emptyClaim(List.of("echo"), 1_000, false);
        EmptyClaims.Snapshot found = emptyClaims.snapshot(List.of("echo"), 1_500);
        emptyClaims.claimEnded(WORKER, registration, found, true, true);
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 2_000)).isFalse();

        emptyClaim(List.of("echo"), 3_000, false);
        emptyClaims.claimFailed("w2", List.of("echo"));
        assertThat(emptyClaims.nothingNew(WORKER, registration, List.of("echo"), 4_000)).isFalse();
    }

    @Test
    void shouldNeverSkipWithATrustIntervalOfZero() {
        EmptyClaims never = new EmptyClaims(0);
        never.claimEnded(WORKER, registration, never.snapshot(List.of("echo"), 1_000), false, false);

        assertThat(never.nothingNew(WORKER, registration, List.of("echo"), 1_000)).isFalse();
    }

    private void emptyClaim(List<String> skills, long at, boolean sawCandidates) {
        emptyClaims.claimEnded(WORKER, registration, emptyClaims.snapshot(skills, at), sawCandidates, false);
    }

    private static WorkerRegistration registration(String... skills) {
        return new WorkerRegistration(WORKER, null, List.of(skills).stream().map(SkillInfo::named).toList(), null,
                null, null, null, null, null, null, null, null, null);
    }
}
