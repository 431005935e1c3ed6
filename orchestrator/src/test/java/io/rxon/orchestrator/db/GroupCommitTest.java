package io.rxon.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Group commit as a concurrency utility: the writes are a test's own function. */
class GroupCommitTest {

    /** Records each group written and holds it in flight until released. */
    private static final class HeldWrites {
        final List<List<Integer>> groups = new CopyOnWriteArrayList<>();
        final List<UniEmitter<? super List<String>>> inFlight = new CopyOnWriteArrayList<>();

        Uni<List<String>> write(List<Integer> items) {
            groups.add(items);
            if (items.contains(13)) {
                return Uni.createFrom().failure(new IllegalStateException("13 is refused"));
            }
            return Uni.createFrom().emitter(inFlight::add);
        }

    }

    @Test
    void shouldWriteAtOnceWhenIdleAndTogetherWhatQueuedMeanwhile() {
        // given a write in flight
        HeldWrites writes = new HeldWrites();
        GroupCommit<Integer, String> group = new GroupCommit<>(3, 1, writes::write);
        List<Uni<String>> outcomes = new ArrayList<>();
        outcomes.add(group.write(1).memoize().indefinitely());
        outcomes.get(0).subscribe().with(ignored -> { });

        // when five more arrive while it is in flight
        for (int item = 2; item <= 6; item++) {
            Uni<String> outcome = group.write(item).memoize().indefinitely();
            outcome.subscribe().with(ignored -> { });
            outcomes.add(outcome);
        }
        assertThat(writes.groups).containsExactly(List.of(1));
        writes.inFlight.get(0).complete(List.of("done 1"));

        // then they go out in groups of at most three, one group in flight at a time, and each
        // caller gets its own outcome
        assertThat(writes.groups).containsExactly(List.of(1), List.of(2, 3, 4));
        writes.inFlight.get(1).complete(List.of("done 2", "done 3", "done 4"));
        assertThat(writes.groups).containsExactly(List.of(1), List.of(2, 3, 4), List.of(5, 6));
        writes.inFlight.get(2).complete(List.of("done 5", "done 6"));
        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i).await().atMost(Duration.ofSeconds(1))).isEqualTo("done " + (i + 1));
        }
    }

    @Test
    void shouldKeepAtMostTheAllowedNumberOfGroupsInFlight() {
        // given room for two groups in flight
        HeldWrites writes = new HeldWrites();
        GroupCommit<Integer, String> group = new GroupCommit<>(10, 2, writes::write);

        // when five items arrive one after another
        for (int item = 1; item <= 5; item++) {
            group.write(item).subscribe().with(ignored -> { });
        }

        // then the first two went out alone at once, the rest wait for one of them, then go together
        assertThat(writes.groups).containsExactly(List.of(1), List.of(2));
        writes.inFlight.get(1).complete(List.of("done 2"));
        assertThat(writes.groups).containsExactly(List.of(1), List.of(2), List.of(3, 4, 5));
    }

    @Test
    void shouldWriteAFailedGroupAgainItemByItemSoOnlyTheBadItemFails() {
        // given a write in flight and a bad item queued behind it with two good ones
        HeldWrites writes = new HeldWrites();
        GroupCommit<Integer, String> group = new GroupCommit<>(10, 1, writes::write);
        group.write(1).subscribe().with(ignored -> { });
        Uni<String> good = group.write(12).memoize().indefinitely();
        Uni<String> bad = group.write(13).memoize().indefinitely();
        Uni<String> alsoGood = group.write(14).memoize().indefinitely();
        List.of(good, bad, alsoGood).forEach(outcome -> outcome.subscribe().with(ignored -> { }, error -> { }));

        // when the group of three fails
        writes.inFlight.get(0).complete(List.of("done 1"));
        writes.inFlight.get(1).complete(List.of("done 12"));
        writes.inFlight.get(2).complete(List.of("done 14"));

        // then each was written alone and only the bad one failed
        assertThat(writes.groups).containsExactly(List.of(1), List.of(12, 13, 14), List.of(12), List.of(13),
                List.of(14));
        assertThat(good.await().atMost(Duration.ofSeconds(1))).isEqualTo("done 12");
        assertThat(alsoGood.await().atMost(Duration.ofSeconds(1))).isEqualTo("done 14");
        assertThatThrownBy(() -> bad.await().atMost(Duration.ofSeconds(1))).hasMessage("13 is refused");
    }
}
