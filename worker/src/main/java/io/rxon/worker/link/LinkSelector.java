package io.rxon.worker.link;

import java.util.List;
import java.util.OptionalInt;

/**
 * Which orchestrator to ask for the next task, one implementation per {@link LinkMode}. Pure: it
 * sees the links as {@link Candidate}s (in priority order, each available or not) and what the
 * last ask brought, never a socket or a clock, so every mode is unit-tested exactly. Not
 * thread-safe: the single poll loop owns it.
 */
public sealed interface LinkSelector permits LinkSelector.Failover, LinkSelector.RoundRobin, LinkSelector.Waterfall {

    /** A link as the selector sees it: its weight, and whether it can be asked now (registered, not backing off). */
    record Candidate(int weight, boolean available) {}

    /** The index (into {@code links}, in priority order) of the link to ask next; empty when none is available. */
    OptionalInt next(List<Candidate> links);

    /** What asking link {@code index} brought: a task or not (an empty answer or a failure). */
    void answered(int index, boolean gotTask);

    static LinkSelector of(LinkMode mode, int links) {
        return switch (mode) {
            case FAILOVER -> new Failover();
            case ROUND_ROBIN -> new RoundRobin(links);
            case WATERFALL -> new Waterfall();
        };
    }

    /** Always the first available link in priority order. */
    final class Failover implements LinkSelector {
        @Override
        public OptionalInt next(List<Candidate> links) {
            for (int i = 0; i < links.size(); i++) {
                if (links.get(i).available()) {
                    return OptionalInt.of(i);
                }
            }
            return OptionalInt.empty();
        }

        @Override
        public void answered(int index, boolean gotTask) {
            // the order alone decides; an empty answer from the first is no reason to leave it
        }
    }

    /**
     * Smooth weighted round robin (nginx's): every pick adds each available link's weight to its
     * running score, takes the highest score and subtracts the total weight from it. Over any
     * {@code sum(weights)} consecutive picks each link gets exactly its weight, spread out
     * (5:1:1 gives a a b a c a a, not a a a a a b c). Unavailable links are skipped without
     * scoring, so the others share their turns.
     */
    final class RoundRobin implements LinkSelector {
        private final long[] current;

        RoundRobin(int links) {
            this.current = new long[links];
        }

        @Override
        public OptionalInt next(List<Candidate> links) {
            int best = -1;
            long total = 0;
            for (int i = 0; i < links.size(); i++) {
                Candidate link = links.get(i);
                if (!link.available()) {
                    continue;
                }
                current[i] += link.weight();
                total += link.weight();
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return OptionalInt.empty();
            }
            current[best] -= total;
            return OptionalInt.of(best);
        }

        @Override
        public void answered(int index, boolean gotTask) {
            // the weights alone decide
        }
    }

    /**
     * Priority order from the top: an empty answer (or a failure) moves on to the next link, a
     * task starts again at the top; past the last link it wraps to the top.
     */
    final class Waterfall implements LinkSelector {
        private int position;

        @Override
        public OptionalInt next(List<Candidate> links) {
            int size = links.size();
            for (int step = 0; step < size; step++) {
                int i = (position + step) % size;
                if (links.get(i).available()) {
                    return OptionalInt.of(i);
                }
            }
            return OptionalInt.empty();
        }

        @Override
        public void answered(int index, boolean gotTask) {
            position = gotTask ? 0 : index + 1;
        }
    }
}
