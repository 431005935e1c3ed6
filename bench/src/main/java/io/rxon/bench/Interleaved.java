package io.rxon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rounds interleaved across modes: for each run, every mode once (closed, 200, 400, closed, 200,
 * 400, ...), each round on a fresh orchestrator, so that drift of the machine (other agents'
 * builds, thermal state) spreads over all modes alike instead of biasing the last one. Medians per
 * mode follow the runs.
 */
final class Interleaved {

    /** One round of one mode; returns its row (the caller adds nothing but the run number). */
    interface Round {
        Map<String, Object> run(String mode, int run, Path dir);
    }

    private Interleaved() {}

    /** Every run's rows, then one median row per mode when there was more than one run. */
    static List<Map<String, Object>> run(String scenario, List<String> modes, int runs, boolean warmRound,
            Path work, List<String> columns, Round round) {
        Map<String, List<Map<String, Object>>> byMode = new LinkedHashMap<>();
        modes.forEach(mode -> byMode.put(mode, new ArrayList<>()));
        List<Map<String, Object>> rows = new ArrayList<>();
        // Run 0 (one round of the first mode) warms up this process (its HTTP clients, the JIT), which would
        // otherwise slow the first measured round only; it is reported but left out of the medians.
        for (int run = warmRound ? 0 : 1; run <= runs; run++) {
            for (String mode : run == 0 ? modes.subList(0, 1) : modes) {
                Bench.log("%s %s run %d/%d (load average %s)", scenario, mode, run, runs, Report.loadAverage());
                Path dir = work.resolve(scenario + "-" + mode.replaceAll("[^A-Za-z0-9_.-]", "_")).toAbsolutePath();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", run);
                try {
                    row.putAll(round.run(mode, run, dir));
                } catch (RuntimeException e) {
                    Bench.log("%s %s run %d failed: %s", scenario, mode, run, e);
                    e.printStackTrace(System.out);
                    row.put("mode", mode);
                    row.put("error", e.toString());
                }
                if (run > 0) {
                    byMode.get(mode).add(row);
                }
                rows.add(row);
                List<String> withRun = new ArrayList<>();
                withRun.add("run");
                withRun.addAll(columns);
                System.out.println(Report.table(scenario + " " + mode + " run " + run, withRun, List.of(row)));
            }
        }
        if (runs > 1) {
            byMode.forEach((mode, modeRows) -> {
                Map<String, Object> median = Report.median(modeRows);
                // A flag (e.g. "stalled") has no median: say in how many runs it was true.
                for (String column : Report.columns(modeRows)) {
                    if (modeRows.stream().anyMatch(row -> row.get(column) instanceof Boolean)) {
                        long yes = modeRows.stream().filter(row -> Boolean.TRUE.equals(row.get(column))).count();
                        median.put(column, yes + " of " + modeRows.size());
                    }
                }
                median.put("run", "median");
                median.put("mode", mode + " (median of " + runs + ")");
                rows.add(median);
            });
        }
        return rows;
    }
}
