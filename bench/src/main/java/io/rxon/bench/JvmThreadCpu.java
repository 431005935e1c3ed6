package io.rxon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * CPU seconds used so far by a JVM's threads, grouped: {@code jit} (C1 and C2 compiler threads),
 * {@code gc} (G1 and parallel GC threads, including concurrent refinement and marking),
 * {@code event_loops} (Vert.x), {@code other}. Read from {@code /proc/<pid>/task}. Threads come and
 * go (the JVM starts and stops compiler threads as the compile queue grows and shrinks), so every
 * thread ever seen keeps counting with its last reading: a sum never goes down, and a thread that
 * ended loses only what it used after it was last read.
 */
final class JvmThreadCpu {

    private static final double CLOCK_TICKS = 100.0;

    /** Per pid and thread id: its group and its CPU seconds when last read. */
    private final Map<String, Reading> seen = new ConcurrentHashMap<>();

    private record Reading(String group, double seconds) {}

    /** Reads the threads of these processes and returns the sums per group of every thread seen so far. */
    Map<String, Double> read(List<Long> pids) {
        pids.forEach(this::readThreads);
        Map<String, Double> groups = new LinkedHashMap<>();
        for (String group : List.of("jit", "gc", "event_loops", "other")) {
            groups.put(group, 0.0);
        }
        seen.values().forEach(reading -> groups.merge(reading.group(), reading.seconds(), Double::sum));
        return groups;
    }

    private void readThreads(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
                    seen.put(pid + "/" + task.getFileName(), new Reading(group(name), seconds));
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended while we looked: its last reading stays
                }
            }
        } catch (IOException e) {
            // the process ended: its threads' last readings stay
        }
    }

    static String group(String threadName) {
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("VM Thread")) {
            return "gc";
        }
        return threadName.startsWith("vert.x-eventloo") ? "event_loops" : "other";
    }
}
