package io.rxon.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A bounded, lock-free record of latencies in nanoseconds; percentiles by sorting a copy. */
public final class Latencies {

    private final long[] samples;
    private final AtomicInteger next = new AtomicInteger();

    public Latencies(int capacity) {
        samples = new long[capacity];
    }

    public void record(long nanos) {
        int index = next.getAndIncrement();
        if (index < samples.length) {
            samples[index] = nanos;
        }
    }

    public int count() {
        return Math.min(next.get(), samples.length);
    }

    public void reset() {
        next.set(0);
    }

    /** p50/p95/p99/max and mean in milliseconds. */
    public Map<String, Object> summaryMillis() {
        int n = count();
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", n);
        if (n == 0) {
            return summary;
        }
        double sum = 0;
        for (long value : sorted) {
            sum += value;
        }
        summary.put("mean_ms", millis(sum / n));
        summary.put("p50_ms", millis(percentile(sorted, 0.50)));
        summary.put("p95_ms", millis(percentile(sorted, 0.95)));
        summary.put("p99_ms", millis(percentile(sorted, 0.99)));
        summary.put("max_ms", millis(sorted[n - 1]));
        return summary;
    }

    private static long percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
