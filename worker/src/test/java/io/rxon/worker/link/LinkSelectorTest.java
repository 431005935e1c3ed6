package io.rxon.worker.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.worker.link.LinkSelector.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LinkSelectorTest {

    private static final Candidate UP = new Candidate(1, true);
    private static final Candidate DOWN = new Candidate(1, false);

    @Test
    void failoverShouldAskTheFirstAvailableLinkInPriorityOrderEvenAfterEmptyAnswers() {
        // given failover over three links
        LinkSelector selector = LinkSelector.of(LinkMode.FAILOVER, 3);

        // when the first is up and answers empty, then it goes down, then the second too
        OptionalInt first = selector.next(List.of(UP, UP, UP));
        selector.answered(0, false);
        OptionalInt again = selector.next(List.of(UP, UP, UP));
        OptionalInt firstDown = selector.next(List.of(DOWN, UP, UP));
        OptionalInt twoDown = selector.next(List.of(DOWN, DOWN, UP));
        OptionalInt back = selector.next(List.of(UP, DOWN, UP));
        OptionalInt none = selector.next(List.of(DOWN, DOWN, DOWN));

        // then it always takes the highest priority that can be asked
        assertThat(first).hasValue(0);
        assertThat(again).hasValue(0);
        assertThat(firstDown).hasValue(1);
        assertThat(twoDown).hasValue(2);
        assertThat(back).hasValue(0);
        assertThat(none).isEmpty();
    }

    @Test
    void roundRobinShouldGiveEachLinkExactlyItsWeightInEveryCycleSpreadOut() {
        // given weights 5, 1, 1 (nginx's example)
        LinkSelector selector = LinkSelector.of(LinkMode.ROUND_ROBIN, 3);
        List<Candidate> links = List.of(new Candidate(5, true), new Candidate(1, true), new Candidate(1, true));

        // when it picks one cycle
        List<Integer> cycle = picks(selector, links, 7);

        // then the order is the smooth one: a a b a c a a
        assertThat(cycle).containsExactly(0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void roundRobinSharesShouldBeExactOverManyPicks() {
        // given weights 3 and 1
        LinkSelector selector = LinkSelector.of(LinkMode.ROUND_ROBIN, 2);
        List<Candidate> links = List.of(new Candidate(3, true), new Candidate(1, true));

        // when it picks 4000 times
        List<Integer> picks = picks(selector, links, 4000);

        // then the shares are exactly 3:1, and never more than three picks of the heavier link in a row
        assertThat(picks.stream().filter(pick -> pick == 0).count()).isEqualTo(3000);
        assertThat(picks.stream().filter(pick -> pick == 1).count()).isEqualTo(1000);
        assertThat(longestRun(picks, 0)).isEqualTo(3);
    }

    @Test
    void roundRobinShouldShareTheTurnsOfAnUnavailableLinkAmongTheOthers() {
        // given weights 2, 1, 1 where the first is down
        LinkSelector selector = LinkSelector.of(LinkMode.ROUND_ROBIN, 3);
        List<Candidate> links = List.of(new Candidate(2, false), new Candidate(1, true), new Candidate(1, true));

        // when it picks 100 times
        List<Integer> picks = picks(selector, links, 100);

        // then the two others alternate
        assertThat(picks).doesNotContain(0);
        assertThat(picks.stream().filter(pick -> pick == 1).count()).isEqualTo(50);
    }

    @Test
    void waterfallShouldMoveDownOnEmptyAnswersAndRestartAtTheTopAfterATask() {
        // given waterfall over three links
        LinkSelector selector = LinkSelector.of(LinkMode.WATERFALL, 3);
        List<Candidate> links = List.of(UP, UP, UP);
        List<Integer> asked = new ArrayList<>();

        // when the first two answer empty, the third gives a task, then the first gives one
        asked.add(ask(selector, links, false));
        asked.add(ask(selector, links, false));
        asked.add(ask(selector, links, true));
        asked.add(ask(selector, links, true));
        // and then all three answer empty: past the last it wraps to the top
        asked.add(ask(selector, links, false));
        asked.add(ask(selector, links, false));
        asked.add(ask(selector, links, false));
        asked.add(ask(selector, links, false));

        // then it asked in priority order and went back to the top after each task
        assertThat(asked).containsExactly(0, 1, 2, 0, 0, 1, 2, 0);
    }

    @Test
    void waterfallShouldSkipUnavailableLinks() {
        // given waterfall where the first link is down
        LinkSelector selector = LinkSelector.of(LinkMode.WATERFALL, 3);

        // when it picks after a task
        selector.answered(2, true);
        OptionalInt pick = selector.next(List.of(DOWN, UP, UP));

        // then the highest priority that can be asked is taken
        assertThat(pick).hasValue(1);
    }

    private static int ask(LinkSelector selector, List<Candidate> links, boolean gotTask) {
        int pick = selector.next(links).orElseThrow();
        selector.answered(pick, gotTask);
        return pick;
    }

    private static List<Integer> picks(LinkSelector selector, List<Candidate> links, int count) {
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picks.add(ask(selector, links, true));
        }
        return picks;
    }

    private static int longestRun(List<Integer> picks, int value) {
        int longest = 0;
        int run = 0;
        for (int pick : picks) {
            run = pick == value ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
