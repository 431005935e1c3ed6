package io.rxon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle workers: registers and connects them in steps (long-poll: a parked {@code tasks/next} each,
 * re-polled every {@code --poll-timeout}; WebSocket: an open push socket each, one credit granted),
 * and at each step reads the orchestrator's heap after a full GC (its own jvm_memory_used_bytes),
 * RSS (/proc) and idle CPU. At the last step, heartbeats as fast as {@code --hb-threads} can send
 * them give the heartbeat handling rate.
 */
public final class Connections {

    static final String LONG_POLL = "longpoll";
    static final String WEBSOCKET = "websocket";

    private Connections() {}

    static List<Map<String, Object>> run(Options options, String mode, Path dir, Path jfr) {
        List<Integer> steps = options.integers("steps", "1000,2500,5000,10000");
        Duration pollTimeout = options.seconds("poll-timeout", 30);
        int registerThreads = options.integer("register-threads", 8);
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean ws = WEBSOCKET.equals(mode);
        try (Target target = Target.start(dir, Map.of(
                // idle long-polls must stay parked for the whole poll window
                "RXON_ORCHESTRATOR_TIMING_POLL_TIMEOUT", pollTimeout.toSeconds() + "s"));
                SimWorkers workers = new SimWorkers(target, options.integer("http-clients", 8), "idle",
                        new Scenarios.Recorder(1))) {
            Bench.sleep(Duration.ofSeconds(3));
            target.gc();
            long heap0 = target.heapUsedBytes();
            long rss0 = target.rssBytes();
            int threads0 = Target.threads(target.pid());
            Bench.log("  %s: baseline heap %.1f MB, RSS %.1f MB, %d threads", mode, mb(heap0), mb(rss0), threads0);
            List<SimWorkers.Sim> sims = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
            int connectedBefore = 0;
            long heapPrevious = heap0;
            for (int step : steps) {
                List<SimWorkers.Sim> fresh = new ArrayList<>();
                for (int i = sims.size(); i < step; i++) {
                    fresh.add(workers.create(i, ws));
                }
                double registrations = SimWorkers.registerAll(fresh, registerThreads, Duration.ofMinutes(5));
                sims.addAll(fresh);
                Bench.sleep(Duration.ofSeconds(2));
                target.gc();
                long heapRegistered = target.heapUsedBytes();
                long rssRegistered = target.rssBytes();
                Bench.log("  %s: %d registered (%.0f/s); heap %.1f MB, connecting %d", mode, sims.size(),
                        registrations, mb(heapRegistered), fresh.size());
                long connectStart = System.nanoTime();
                for (SimWorkers.Sim sim : fresh) {
                    if (ws) {
                        workers.startPush(sim, 1, false);
                    } else {
                        workers.startPolling(sim, pollTimeout, deadline);
                    }
                }
                boolean allConnected = workers.awaitConnected(step, Duration.ofSeconds(180));
                int waiting = awaitWaiting(target, (int) (step * 0.98), Duration.ofSeconds(120));
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                boolean last = step == steps.get(steps.size() - 1) || !allConnected;
                Map<String, Object> heartbeats = Map.of();
                if (last) {
                    // Right after connecting: long-polls all re-poll one poll timeout after they parked, and a
                    // heartbeat phase overlapping that wave would measure the wave (see the README).
                    if (jfr != null) {
                        target.startJfr(jfr);
                    }
                    heartbeats = heartbeats(target, sims, options.integer("hb-threads", 16),
                            options.seconds("hb-seconds", 10));
                    if (jfr != null) {
                        target.stopJfr();
                    }
                }
                Bench.sleep(Duration.ofSeconds(2));
                Target.CpuTimes cpu0 = target.cpu();
                // Long-poll: at least one whole poll window, so every idle worker re-polls once inside it.
                Bench.sleep(options.seconds("idle-seconds", ws ? 10 : pollTimeout.toSeconds() + 5));
                Map<String, Object> idleCores = target.cpu().coresUsedSince(cpu0);
                target.gc();
                long heap = target.heapUsedBytes();
                long rss = target.rssBytes();
                int added = step - connectedBefore;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("mode", mode);
                row.put("connected", step);
                row.put("all_connected", allConnected);
                row.put("orch_waiting_workers", waiting);
                row.put("register_per_s", Target.round2(registrations));
                row.put("connect_s", Target.round2(connectSeconds));
                row.put("heap_mb", Target.round2(mb(heap)));
                row.put("rss_mb", Target.round2(mb(rss)));
                row.put("orch_threads", Target.threads(target.pid()));
                row.put("heap_kb_per_registered_worker", Target.round2((heapRegistered - heapPrevious) / 1024.0
                        / added));
                row.put("heap_kb_per_conn", Target.round2((heap - heapRegistered) / 1024.0 / added));
                row.put("rss_kb_per_conn", Target.round2((rss - rssRegistered) / 1024.0 / added));
                row.put("heap_kb_per_worker_all", Target.round2((heap - heap0) / 1024.0 / step));
                row.put("rss_kb_per_worker_all", Target.round2((rss - rss0) / 1024.0 / step));
                row.putAll(Scenarios.prefixed("idle_cores_", idleCores));
                row.put("idle_polls_per_s", ws ? 0.0 : Target.round2(step / (double) pollTimeout.toSeconds()));
                row.putAll(heartbeats);
                row.put("worker_errors", workers.errors());
                row.put("load_avg", Double.valueOf(Report.loadAverage()));
                rows.add(row);
                Bench.log("  %s: %s", mode, row);
                connectedBefore = step;
                heapPrevious = heap;
                if (!allConnected) {
                    Bench.log("  %s: stopping at %d: not every worker connected", mode, step);
                    break;
                }
            }
            return rows;
        }
    }

    /** Signed heartbeats (status idle, no tasks) from the connected workers, round robin, closed loop. */
    static Map<String, Object> heartbeats(Target target, List<SimWorkers.Sim> sims, int threads, Duration duration) {
        Latencies latencies = new Latencies(2_000_000);
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        Target.CpuTimes cpu0 = target.cpu();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        SimWorkers.Sim sim = sims.get(Math.floorMod(next.getAndIncrement(), sims.size()));
                        long sent = System.nanoTime();
                        try {
                            if (sim.heartbeat()) {
                                latencies.record(System.nanoTime() - sent);
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "heartbeat-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        try {
            done.await(duration.toSeconds() + 90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> summary = latencies.summaryMillis();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("hb_threads", threads);
        result.put("hb_per_s", Target.round2(latencies.count() / seconds));
        result.put("hb_p50_ms", summary.get("p50_ms"));
        result.put("hb_p99_ms", summary.get("p99_ms"));
        result.put("hb_failures", failures.get());
        result.put("hb_needed_per_s_at_15s_interval", Target.round2(sims.size() / 15.0));
        result.putAll(Scenarios.prefixed("hb_cores_", target.cpu().coresUsedSince(cpu0)));
        return result;
    }

    /** Waits until the orchestrator counts {@code count} waiting workers; returns the last count seen. */
    static int awaitWaiting(Target target, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int waiting = 0;
        while (System.nanoTime() < deadline) {
            waiting = (int) target.metrics().sum("rxon_workers_waiting");
            if (waiting >= count) {
                return waiting;
            }
            Bench.sleep(Duration.ofSeconds(1));
        }
        return waiting;
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
