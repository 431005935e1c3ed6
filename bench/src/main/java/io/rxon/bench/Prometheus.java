package io.rxon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Just enough of the Prometheus text format: samples by name and labels, sums, histogram quantiles. */
public final class Prometheus {

    public record Sample(String name, String labels, double value) {}

    private final List<Sample> samples;

    private Prometheus(List<Sample> samples) {
        this.samples = samples;
    }

    public static Prometheus parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            String labels = "";
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                labels = line.substring(brace + 1, line.lastIndexOf('}'));
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
            } catch (NumberFormatException ignored) {
                // NaN and friends parse; anything else is not a sample we need
            }
        }
        return new Prometheus(samples);
    }

    /** Sum of the samples of {@code name} whose labels contain every one of {@code labelParts}. */
    public double sum(String name, String... labelParts) {
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && containsAll(sample.labels(), labelParts)) {
                total += sample.value();
            }
        }
        return total;
    }

    /** Cumulative buckets of a histogram: upper bound (seconds) to count. */
    public TreeMap<Double, Double> buckets(String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name + "_bucket")) {
                String le = label(sample.labels(), "le");
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, sample.value(), Double::sum);
            }
        }
        return buckets;
    }

    /** The q-quantile (upper bucket bound, seconds) of what was observed between two scrapes. */
    public static double quantile(Map<Double, Double> before, TreeMap<Double, Double> after, double q) {
        double total = 0;
        TreeMap<Double, Double> delta = new TreeMap<>();
        for (Map.Entry<Double, Double> entry : after.entrySet()) {
            double value = entry.getValue() - before.getOrDefault(entry.getKey(), 0.0);
            delta.put(entry.getKey(), value);
            total = Math.max(total, value);
        }
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> entry : delta.entrySet()) {
            if (entry.getValue() >= q * total) {
                return entry.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static boolean containsAll(String labels, String... parts) {
        for (String part : parts) {
            if (!labels.contains(part)) {
                return false;
            }
        }
        return true;
    }

    private static String label(String labels, String key) {
        int start = labels.indexOf(key + "=\"");
        if (start < 0) {
            return "";
        }
        start += key.length() + 2;
        return labels.substring(start, labels.indexOf('"', start));
    }
}
