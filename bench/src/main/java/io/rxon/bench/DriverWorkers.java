package io.rxon.bench;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The independent load driver's workers (issue 13): each one a separate HTTP client (as separate
 * processes would have), long-polling {@code tasks/next?timeout=…} for ONE task at a time over
 * plain HTTP with common's transport, posting its signed echo result and polling again at once.
 * Skills are configurable so that a worker may name types that have no tasks.
 */
final class DriverWorkers implements AutoCloseable {

    private final List<Transport> transports = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLongArray tasks;
    private final List<String> skills;
    private final SimWorkers.Sink sink;

    /** Registers {@code count} workers with {@code skills} and starts their poll loops. */
    DriverWorkers(Target target, String prefix, int count, List<String> skills, Duration pollTimeout,
            SimWorkers.Sink sink) {
        this.skills = List.copyOf(skills);
        this.sink = sink;
        this.tasks = new AtomicLongArray(count);
        String token = target.workerToken();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            TransportOptions options = TransportOptions.builder().token(token)
                    .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(30)).build())
                    .signing(new MessageSigning(new HmacSigner(token), id))
                    .requestTimeout(Duration.ofSeconds(60))
                    .build();
            Transport transport = Transports.create(target.url(), id, options);
            transport.register(new WorkerRegistration(id, null, this.skills.stream().map(SkillInfo::named).toList(),
                    this.skills, null, new Resources(null, Map.of("cpu_cores", 2, "ram_gb", 4)), null, null,
                    new WorkerCapabilities("bench-driver", null, null, null, Map.of()), null, null, null, null));
            transports.add(transport);
        }
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(null, () -> loop(index, pollTimeout), "driver-" + prefix + "-" + i,
                    256 * 1024);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop(int index, Duration pollTimeout) {
        Transport transport = transports.get(index);
        String id = transport.workerId();
        while (!stopping.get()) {
            try {
                Optional<TaskPayload> task = transport.pollTask(pollTimeout, skills, null);
                if (task.isEmpty()) {
                    continue;
                }
                long sent = SimWorkers.sentNanos(task.get());
                sink.received(sent, System.nanoTime());
                boolean accepted = transport.sendResult(SimWorkers.echo(task.get(), id));
                if (accepted) {
                    tasks.incrementAndGet(index);
                }
                sink.completed(sent, System.nanoTime(), accepted, null);
            } catch (RxonException | IllegalStateException e) {
                if (stopping.get()) {
                    return;
                }
                errors.incrementAndGet();
                Bench.sleep(Duration.ofMillis(200));
            }
        }
    }

    /** Results accepted per worker so far. */
    long[] tasksPerWorker() {
        long[] counts = new long[tasks.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = tasks.get(i);
        }
        return counts;
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() {
        stopping.set(true);
        transports.forEach(Transport::close);
        for (Thread thread : threads) {
            try {
                thread.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
