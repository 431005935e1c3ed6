package io.rxon.orchestrator.console;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A small line chart as inline SVG (no chart library): the last hour on the x axis, zero to the
 * largest value on the y axis, gaps where a sample has no value. Only numbers and the fixed labels
 * below go into the markup, so it needs no escaping.
 */
final class SvgChart {

    static final int WIDTH = 600;
    static final int HEIGHT = 120;
    private static final int LEFT = 50;
    private static final int BOTTOM = 18;
    private static final long HOUR_MILLIS = 3_600_000;

    private SvgChart() {}

    static String render(List<MetricSamples.Sample> samples, long now, Function<MetricSamples.Sample, Double> value,
            String unit) {
        double max = samples.stream().map(value).filter(v -> v != null).mapToDouble(Double::doubleValue).max()
                .orElse(0);
        double top = max <= 0 ? 1 : max * 1.1;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">", WIDTH, HEIGHT));
        int plotHeight = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, plotHeight,
                WIDTH, plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"12\">%s %s</text>", number(max), unit));
        svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">0</text>", plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">−60 min</text>", LEFT, HEIGHT - 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">now</text>", WIDTH - 24, HEIGHT - 4));
        StringBuilder points = new StringBuilder();
        for (MetricSamples.Sample sample : samples) {
            Double v = value.apply(sample);
            if (v == null) {
                flush(svg, points);
                continue;
            }
            double x = LEFT + (WIDTH - LEFT) * (1 - (double) (now - sample.at()) / HOUR_MILLIS);
            double y = plotHeight - plotHeight * (v / top);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        flush(svg, points);
        return svg.append("</svg>").toString();
    }

    private static void flush(StringBuilder svg, StringBuilder points) {
        if (!points.isEmpty()) {
            svg.append("<polyline points=\"").append(points.toString().trim()).append("\"/>");
            points.setLength(0);
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
