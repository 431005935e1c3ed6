package io.rxon.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the orchestrator's CPU goes, from a JFR recording: execution samples by component (share
 * of samples whose stack passes through it), by own-code method (inclusive), by top frame (self),
 * by thread, plus GC pauses, allocation by class and monitor contention. What {@code jfr print
 * --events jdk.ExecutionSample} shows raw, added up.
 */
public final class JfrSummary {

    /** Components by class-name prefix, first match wins. */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {"io.rxon.", "rxon (own code)"},
            new String[] {"org.hibernate.", "Hibernate ORM/Reactive"},
            new String[] {"io.vertx.pgclient.", "Vert.x PostgreSQL client"},
            new String[] {"io.vertx.sqlclient.", "Vert.x SQL client"},
            new String[] {"com.fasterxml.jackson.", "Jackson"},
            new String[] {"io.netty.", "Netty"},
            new String[] {"org.jboss.resteasy.", "RESTEasy Reactive"},
            new String[] {"io.quarkus.websockets.", "Quarkus WebSockets Next"},
            new String[] {"io.quarkus.", "Quarkus"},
            new String[] {"io.smallrye.mutiny.", "Mutiny"},
            new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"io.vertx.", "Vert.x core"},
            new String[] {"javax.crypto.", "JCA crypto"},
            new String[] {"sun.security.", "JCA crypto"},
            new String[] {"com.sun.crypto.", "JCA crypto"},
            new String[] {"org.jboss.logmanager.", "logging"},
            new String[] {"java.util.regex.", "java.util.regex"},
            new String[] {"java.", "JDK"},
            new String[] {"jdk.", "JDK"},
            new String[] {"sun.", "JDK"});

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.println("usage: JfrSummary FILE.jfr [top]");
            return;
        }
        summarise(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25, System.out);
    }

    public static void summarise(Path file, int top, PrintStream out) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> ownInclusive = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        Map<String, Long> selfComponents = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocation = new HashMap<>();
        Map<String, Long> contention = new HashMap<>();
        Map<String, Long> entryPoints = new HashMap<>();
        Map<String, Long> hibernate = new HashMap<>();
        Map<Long, double[]> threadLoad = new HashMap<>();
        Map<Long, String> threadNames = new HashMap<>();
        long samples = 0;
        long gcCount = 0;
        Duration gcPause = Duration.ZERO;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        List<RecordedFrame> frames = stack.getFrames();
                        String top0 = method(frames.get(0));
                        self.merge(top0, 1L, Long::sum);
                        selfComponents.merge(component(top0), 1L, Long::sum);
                        Set<String> seenComponents = new HashSet<>();
                        Set<String> seenOwn = new HashSet<>();
                        for (RecordedFrame frame : frames) {
                            String method = method(frame);
                            seenComponents.add(component(method));
                            if (method.startsWith("io.rxon.")) {
                                seenOwn.add(method);
                            }
                        }
                        seenComponents.forEach(c -> components.merge(c, 1L, Long::sum));
                        entryPoints.merge(outermost(frames, "io.rxon."), 1L, Long::sum);
                        hibernate.merge(innermost(frames, "org.hibernate.reactive.session.impl."), 1L, Long::sum);
                        seenOwn.forEach(m -> ownInclusive.merge(m, 1L, Long::sum));
                        Object thread = event.getThread("sampledThread");
                        String name = thread == null ? "?" : event.getThread("sampledThread").getJavaName();
                        threads.merge(name == null ? "?" : name.replaceAll("[-#]?\\d+$", "-N"), 1L, Long::sum);
                    }
                    case "jdk.ThreadCPULoad" -> {
                        if (event.getThread() != null) {
                            long id = event.getThread().getJavaThreadId();
                            threadNames.put(id, String.valueOf(event.getThread().getJavaName())
                                    .replaceAll("[-#]?\\d+$", "-N"));
                            double[] sum = threadLoad.computeIfAbsent(id, key -> new double[2]);
                            sum[0] += event.getFloat("user") + event.getFloat("system");
                            sum[1]++;
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
                    }
                    case "jdk.ObjectAllocationSample" -> allocation.merge(
                            event.getClass("objectClass").getName(), event.getLong("weight"), Long::sum);
                    case "jdk.JavaMonitorEnter" -> contention.merge(event.getClass("monitorClass").getName(),
                            event.getDuration().toMillis(), Long::sum);
                    default -> { }
                }
            }
        }
        out.println("JFR summary of " + file + ": " + samples + " execution samples");
        print(out, "share of samples whose stack passes through (inclusive, by component)", components, samples, 30);
        print(out, "top frame by component (self)", selfComponents, samples, 30);
        print(out, "outermost own-code frame (which rxon entry point the sample runs under; '-' = none)",
                entryPoints, samples, top);
        print(out, "innermost Hibernate Reactive session operation ('-' = none)", hibernate, samples, 15);
        print(out, "own code methods (inclusive)", ownInclusive, samples, top);
        print(out, "hottest methods (self)", self, samples, top);
        print(out, "samples by thread", threads, samples, 12);
        out.printf("GC: %d collections, %d ms total pause%n", gcCount, gcPause.toMillis());
        Map<String, Long> cpuByThread = new HashMap<>();
        threadLoad.forEach((id, sum) -> cpuByThread.merge(threadNames.get(id), Math.round(sum[0] / sum[1] * 1000),
                Long::sum));
        out.println("-- CPU by thread group (jdk.ThreadCPULoad, per mille of the whole machine, averaged)");
        cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(entry -> out.printf("  %5d  %s%n", entry.getValue(), entry.getKey()));
        long allocated = allocation.values().stream().mapToLong(Long::longValue).sum();
        print(out, "allocation by class (sampled weight)", allocation, allocated, 12);
        print(out, "monitor contention by class (ms blocked)", contention, -1, 8);
    }

    private static void print(PrintStream out, String title, Map<String, Long> counts, long total, int top) {
        out.println("-- " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(entry -> {
                    if (total > 0) {
                        out.printf("  %5.1f%%  %8d  %s%n", 100.0 * entry.getValue() / total, entry.getValue(),
                                entry.getKey());
                    } else {
                        out.printf("  %8d  %s%n", entry.getValue(), entry.getKey());
                    }
                });
    }

    /** The frame closest to the thread's root whose method starts with {@code prefix}, or "-". */
    private static String outermost(List<RecordedFrame> frames, String prefix) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String method = method(frames.get(i));
            if (method.startsWith(prefix) && !method.contains("$$Lambda") && !method.contains("_ClientProxy")) {
                return method;
            }
        }
        return "-";
    }

    /** The frame closest to the top whose method starts with {@code prefix}, or "-". */
    private static String innermost(List<RecordedFrame> frames, String prefix) {
        for (RecordedFrame frame : frames) {
            String method = method(frame);
            if (method.startsWith(prefix) && !method.contains("lambda$")) {
                return method;
            }
        }
        return "-";
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String component(String method) {
        for (String[] component : COMPONENTS) {
            if (method.startsWith(component[0])) {
                return component[1];
            }
        }
        return "other: " + method.substring(0, Math.max(0, nthDot(method, 2)));
    }

    private static int nthDot(String text, int n) {
        int index = -1;
        for (int i = 0; i < n; i++) {
            index = text.indexOf('.', index + 1);
            if (index < 0) {
                return text.length();
            }
        }
        return index;
    }

    static Map<String, Long> sorted(Map<String, Long> map) {
        return new LinkedHashMap<>(map);
    }
}
