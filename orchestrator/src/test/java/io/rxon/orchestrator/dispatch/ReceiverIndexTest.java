package io.rxon.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which waiting receiver an offer reaches: by type, hot workers first, eligible ones only, never a closed one. */
class ReceiverIndexTest {

    private final ReceiverIndex index = new ReceiverIndex();
    private final Map<String, WorkerState> workers = new HashMap<>();

    @Test
    void shouldStartAClaimOnlyForAReceiverWhoseWorkerHasTheSkill() {
        TaskReceiver echo = parked("echo-worker", List.of("echo"), List.of());
        TaskReceiver resize = parked("resize-worker", List.of("resize"), List.of());

        assertThat(index.startClaim("resize", any -> true)).isSameAs(resize);
        assertThat(index.startClaim("resize", any -> true)).isNull();
        assertThat(echo.isWaiting()).isTrue();
    }

    @Test
    void shouldPreferAWorkerThatListsTheTypeAsHot() {
        for (int i = 0; i < 20; i++) {
            parked("cold-" + i, List.of("echo"), List.of());
        }
        TaskReceiver hot = parked("hot", List.of("echo"), List.of("echo"));

        assertThat(index.startClaim("echo", any -> true)).isSameAs(hot);
    }

    @Test
    void shouldSkipIneligibleWorkersAndStopAtTheFirstEligibleOne() {
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            parked("cpu-" + i, List.of("render"), List.of());
        }
        TaskReceiver gpu = parked("gpu", List.of("render"), List.of());

        TaskReceiver chosen = index.startClaim("render", candidate -> asked.add(candidate.workerId())
                && candidate.workerId().equals("gpu"));

        assertThat(chosen).isSameAs(gpu);
        assertThat(asked).contains("gpu");
        assertThat(index.startClaim("render", candidate -> candidate.workerId().equals("gpu"))).isNull();
    }

    @Test
    void shouldReachEveryWaitingWorkerInTurn() {
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            parked("w-" + i, List.of("echo"), List.of());
        }

        for (int i = 0; i < 5; i++) {
            chosen.add(index.startClaim("echo", any -> true).workerId());
        }

        assertThat(chosen).hasSize(5);
    }

    @Test
    void shouldNeverOfferToAClosedOrRemovedReceiver() {
        TaskReceiver closed = parked("closed", List.of("echo"), List.of());
        TaskReceiver removed = parked("removed", List.of("echo"), List.of());
        closed.close();
        index.remove(removed);

        assertThat(index.startClaim("echo", any -> true)).isNull();
        index.reconcile(id -> Optional.ofNullable(workers.get(id)));
        index.place(closed, Optional.of(workers.get("closed")));
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldFollowAWorkerWhoseSkillsChangedWhenReconciled() {
        // given a waiting receiver indexed under its worker's skills at the time
        TaskReceiver receiver = parked("changing", List.of("echo"), List.of());

        // when the worker registers a new skill
        register("changing", List.of("echo", "resize"), List.of());
        List<TaskReceiver> replaced = index.reconcile(id -> Optional.ofNullable(workers.get(id)));

        // then it is offered tasks of the new skill, and reported so that it looks for work
        assertThat(replaced).containsExactly(receiver);
        assertThat(index.startClaim("resize", any -> true)).isSameAs(receiver);
    }

    private TaskReceiver parked(String workerId, List<String> skills, List<String> hot) {
        register(workerId, skills, hot);
        TaskReceiver receiver = TaskReceiver.longPoll(workerId, null, task -> { }, () -> { });
        receiver.claimFinished(Optional.empty());
        index.place(receiver, Optional.of(workers.get(workerId)));
        return receiver;
    }

    private void register(String workerId, List<String> skills, List<String> hot) {
        WorkerRegistration registration = new WorkerRegistration(workerId, null,
                skills.stream().map(SkillInfo::named).toList(), null, hot, null, null, null, null, null, null, null,
                null);
        workers.put(workerId, WorkerState.of(registration, "idle", 0));
    }
}
