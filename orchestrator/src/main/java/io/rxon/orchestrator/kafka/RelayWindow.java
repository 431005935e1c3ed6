package io.rxon.orchestrator.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the relay has sent, by event number ({@code job_events.seq}). Numbers are taken when a
 * row is inserted but become visible when its transaction commits, so a later number may be seen
 * first: a number skipped over is a gap, looked for again each round until its row shows up (a
 * late commit) or {@code gapTimeout} has passed (a rollback). The position (everything at or
 * below it settled) stays below the oldest open gap, so a relay resuming from it misses nothing.
 */
final class RelayWindow {

    /** Beyond this many open gaps (a jump in the sequence) the oldest are given up. */
    static final int MAX_GAPS = 100_000;

    private long highest;
    private final TreeMap<Long, Long> gaps = new TreeMap<>();

    RelayWindow(long position) {
        this.highest = position;
    }

    /** The highest number sent: new rows are those above it. */
    long highest() {
        return highest;
    }

    /** The numbers still waited for. */
    Long[] gaps() {
        return gaps.keySet().toArray(Long[]::new);
    }

    /** These numbers (ascending) were sent at {@code now}: they close gaps, and open one for each number they skip. */
    void sent(List<Long> numbers, long now) {
        for (long number : numbers) {
            if (number <= highest) {
                gaps.remove(number);
                continue;
            }
            for (long skipped = Math.max(highest + 1, number - MAX_GAPS); skipped < number; skipped++) {
                gaps.put(skipped, now);
            }
            highest = number;
        }
        while (gaps.size() > MAX_GAPS) {
            gaps.pollFirstEntry();
        }
    }

    /** Gives up the gaps noticed before {@code cutoff}: their transactions rolled back (or never commit in time). */
    int expire(long cutoff) {
        int expired = 0;
        var open = gaps.entrySet().iterator();
        while (open.hasNext()) {
            Map.Entry<Long, Long> gap = open.next();
            if (gap.getValue() < cutoff) {
                open.remove();
                expired++;
            }
        }
        return expired;
    }

    /** Every number at or below this is settled: sent or given up. */
    long position() {
        return gaps.isEmpty() ? highest : gaps.firstKey() - 1;
    }
}
