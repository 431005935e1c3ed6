package io.rxon.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.rxon.common.json.Json;
import io.rxon.e2e.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tables for people, JSON for machines, and the facts of the machine beside every figure. */
public final class Report {

    private Report() {}

    /** Cores, CPU model, memory, JVMs and heaps, OS, date, load and the contention caveat. */
    public static Map<String, Object> machineFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("cpu_model", firstMatching(Path.of("/proc/cpuinfo"), "model name"));
        facts.put("memory_total", firstMatching(Path.of("/proc/meminfo"), "MemTotal"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("bench_jvm_max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        facts.put("bench_jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        facts.put("orchestrator_jvm", "same JVM, -Xmx384m (as the e2e harness ManagedProcess starts it), "
                + "embedded PostgreSQL on the same machine");
        facts.put("orchestrator_extra_jvm_options", (System.getProperty(ManagedProcess.JVM_OPTIONS, "") + " "
                + System.getProperty(ManagedProcess.JVM_OPTIONS + ".orchestrator", "")).trim());
        facts.put("load_average_at_start", loadAverage());
        facts.put("caveat", "2 cores shared with other engineers' concurrent builds and tests; the benchmark's "
                + "clients and simulated workers run on the same 2 cores as the orchestrator and PostgreSQL");
        return facts;
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstMatching(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The median of every numeric column over the runs (the column's first non-numeric value otherwise). */
    public static Map<String, Object> median(List<Map<String, Object>> runs) {
        Map<String, Object> median = new LinkedHashMap<>();
        for (String column : columns(runs)) {
            List<Double> numbers = new ArrayList<>();
            Object other = null;
            for (Map<String, Object> run : runs) {
                Object value = run.get(column);
                if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                    numbers.add(number.doubleValue());
                } else if (other == null && value != null) {
                    other = value;
                }
            }
            if (!numbers.isEmpty()) {
                numbers.sort(Double::compare);
                int n = numbers.size();
                double value = n % 2 == 1 ? numbers.get(n / 2) : (numbers.get(n / 2 - 1) + numbers.get(n / 2)) / 2;
                median.put(column, Math.round(value * 100) / 100.0);
            } else {
                median.put(column, other);
            }
        }
        return median;
    }

    public static Set<String> columns(Collection<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> columns.addAll(row.keySet()));
        return columns;
    }

    /** A plain text table: one line per row, the given columns only (missing values as "-"). */
    public static String table(String title, List<String> columns, List<Map<String, Object>> rows) {
        List<Integer> widths = new ArrayList<>();
        for (String column : columns) {
            int width = column.length();
            for (Map<String, Object> row : rows) {
                width = Math.max(width, format(row.get(column)).length());
            }
            widths.add(width);
        }
        StringBuilder text = new StringBuilder("\n").append(title).append('\n');
        for (int i = 0; i < columns.size(); i++) {
            text.append(String.format("%-" + widths.get(i) + "s  ", columns.get(i)));
        }
        text.append('\n');
        for (int i = 0; i < columns.size(); i++) {
            text.append("-".repeat(widths.get(i))).append("  ");
        }
        text.append('\n');
        for (Map<String, Object> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                text.append(String.format("%-" + widths.get(i) + "s  ", format(row.get(columns.get(i)))));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double number) {
            return number == Math.rint(number) && Math.abs(number) < 1e15
                    ? Long.toString(number.longValue()) : String.format("%.2f", number);
        }
        return value.toString();
    }

    public static String json(Object value) {
        try {
            return Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path directory, String name, Object value) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(name);
            Files.writeString(file, json(value) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
