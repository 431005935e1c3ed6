package io.rxon.bench;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated workers speaking the real protocol in this process: common's {@link Transports}
 * (HTTP long-poll, or {@code ws://} with push dispatch and credits), HMAC-signed messages, the
 * {@code echo} skill answered at once. Transports share a few JDK HTTP clients, as thousands of
 * worker processes would not, but each worker keeps its own connections.
 */
public final class SimWorkers implements AutoCloseable {

    public static final String SKILL = "echo";
    /** Job params field carrying the submission instant ({@link System#nanoTime()}, same process). */
    public static final String SENT_NANOS = "sent_ns";

    /** What workers report to the scenario. */
    public interface Sink {
        /** A task arrived; {@code sentNanos} is its params' submission instant or -1. */
        void received(long sentNanos, long nowNanos);

        /** A result was acknowledged ({@code accepted} false: ignored) or failed ({@code error} set). */
        void completed(long sentNanos, long nowNanos, boolean accepted, Throwable error);
    }

    private final String url;
    private final String socketUrl;
    private final String token;
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<Sim> workers = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final Sink sink;
    private final String prefix;

    public SimWorkers(Target target, int httpClients, String prefix, Sink sink) {
        this.url = target.url();
        this.socketUrl = target.socketUrl();
        this.token = target.workerToken();
        this.sink = sink;
        this.prefix = prefix;
        for (int i = 0; i < Math.max(1, httpClients); i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30)).build());
        }
    }

    /** A worker: its transport, registration and (push) session. */
    public final class Sim {
        final String id;
        final Transport transport;
        final boolean push;
        volatile SocketSession session;
        Thread thread;

        Sim(String id, boolean push) {
            this.id = id;
            this.push = push;
            TransportOptions options = TransportOptions.builder().token(token)
                    .httpClient(clients.get(Math.floorMod(id.hashCode(), clients.size())))
                    .signing(new MessageSigning(new HmacSigner(token), id))
                    .requestTimeout(Duration.ofSeconds(60))
                    .build();
            this.transport = Transports.create(push ? socketUrl : url, id, options);
        }

        public String id() {
            return id;
        }

        public void register() {
            Map<String, Object> extra = push
                    ? Map.of(Protocol.EXTRA_PUSH_DISPATCH, true, "websockets", true)
                    : Map.of();
            transport.register(new WorkerRegistration(id, null, List.of(SkillInfo.named(SKILL)), List.of(SKILL),
                    null, new Resources(null, Map.of("cpu_cores", 2, "ram_gb", 4)), null, null,
                    new WorkerCapabilities("bench-host", null, null, null, extra), null, null, null, null));
        }

        public boolean heartbeat() {
            return transport.sendHeartbeat(Heartbeat.of(id, WorkerStatus.IDLE.wire(), List.of(),
                    Instant.now().getEpochSecond())).isPresent();
        }
    }

    public Sim create(int index, boolean push) {
        Sim sim = new Sim(prefix + "-" + index, push);
        synchronized (workers) {
            workers.add(sim);
        }
        return sim;
    }

    public List<Sim> all() {
        synchronized (workers) {
            return List.copyOf(workers);
        }
    }

    public long errors() {
        return errors.get();
    }

    public int connected() {
        return connected.get();
    }

    /** Long-poll loop on its own (small-stack) thread until {@link #close()} or {@code deadline}. */
    public void startPolling(Sim sim, Duration pollTimeout, long deadlineNanos) {
        Runnable loop = () -> {
            List<String> skills = List.of(SKILL);
            connected.incrementAndGet();
            try {
                while (!stopping.get() && System.nanoTime() < deadlineNanos) {
                    try {
                        Optional<TaskPayload> task = sim.transport.pollTask(pollTimeout, skills, null);
                        if (task.isEmpty()) {
                            continue;
                        }
                        long sent = sentNanos(task.get());
                        sink.received(sent, System.nanoTime());
                        boolean accepted = sim.transport.sendResult(echo(task.get(), sim.id));
                        sink.completed(sent, System.nanoTime(), accepted, null);
                    } catch (RxonException | IllegalStateException e) {
                        if (stopping.get()) {
                            return;
                        }
                        errors.incrementAndGet();
                        Bench.sleep(Duration.ofMillis(200));
                    }
                }
            } finally {
                connected.decrementAndGet();
            }
        };
        Thread thread = new Thread(null, loop, "poll-" + sim.id, 256 * 1024);
        thread.setDaemon(true);
        sim.thread = thread;
        thread.start();
    }

    /**
     * Opens the push socket; on every connect grants {@code slots} credits, answers each pushed task
     * over the socket and grants the slot again once the result is acknowledged.
     */
    public void startPush(Sim sim, int slots, boolean answerTasks) {
        sim.session = sim.transport.openSocket(new SocketListener() {
            @Override
            public void onConnected(SocketSession session) {
                connected.incrementAndGet();
                if (slots > 0) {
                    session.grantCredits(slots);
                }
            }

            @Override
            public void onDisconnected(int statusCode, String reason) {
                connected.decrementAndGet();
                if (!stopping.get()) {
                    errors.incrementAndGet();
                }
            }

            @Override
            public void onConnectFailed(RxonException error) {
                errors.incrementAndGet();
            }

            @Override
            public void onTask(TaskPayload task) {
                long sent = sentNanos(task);
                sink.received(sent, System.nanoTime());
                if (!answerTasks) {
                    return;
                }
                SocketSession session = sim.session;
                session.sendResult(echo(task, sim.id)).whenComplete((accepted, error) -> {
                    sink.completed(sent, System.nanoTime(), Boolean.TRUE.equals(accepted), error);
                    if (error != null) {
                        errors.incrementAndGet();
                    }
                    if (!stopping.get()) {
                        session.grantCredits(1);
                    }
                });
            }
        }, true);
    }

    /** Waits until {@code count} workers are connected (polling threads running, sockets open). */
    public boolean awaitConnected(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (connected.get() >= count) {
                return true;
            }
            Bench.sleep(Duration.ofMillis(100));
        }
        return false;
    }

    /** Registers all {@code sims} with {@code threads} threads; returns registrations per second. */
    public static double registerAll(List<Sim> sims, int threads, Duration timeout) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    int index;
                    while ((index = next.getAndIncrement()) < sims.size() && System.nanoTime() < deadline) {
                        try {
                            sims.get(index).register();
                        } catch (RuntimeException e) {
                            if (failed.incrementAndGet() <= 3) {
                                System.out.println("  registration failed: " + e);
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "register-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        try {
            done.await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " registrations failed");
        }
        return sims.size() / ((System.nanoTime() - start) / 1e9);
    }

    static TaskResult echo(TaskPayload task, String workerId) {
        return TaskResult.success(task, workerId, Map.of("echo", task.params()), Instant.now().getEpochSecond());
    }

    static long sentNanos(TaskPayload task) {
        Object sent = task.params() == null ? null : task.params().get(SENT_NANOS);
        return sent instanceof Number number ? number.longValue() : -1;
    }

    @Override
    public void close() {
        stopping.set(true);
        for (Sim sim : all()) {
            if (sim.session != null) {
                sim.session.close();
            }
            sim.transport.close();
        }
        for (Sim sim : all()) {
            if (sim.thread != null) {
                try {
                    sim.thread.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
