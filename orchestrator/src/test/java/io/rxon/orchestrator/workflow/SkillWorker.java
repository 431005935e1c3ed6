package io.rxon.orchestrator.workflow;

import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A real worker over the real HTTP worker protocol, answering each task of its skills with what
 * {@code answer} makes of it; runs on its own thread until closed.
 */
final class SkillWorker implements AutoCloseable {

    private final Transport transport;
    private final String workerId;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger handled = new AtomicInteger();

    private SkillWorker(URL root, BiFunction<TaskPayload, String, TaskResult> answer, String... skills) {
        this.workerId = Fixtures.uniqueWorker("wf");
        this.transport = Fixtures.registeredWorker(root, workerId, skills);
        thread.submit(() -> {
            while (running.get()) {
                try {
                    Optional<TaskPayload> task = transport.pollTask(Duration.ofMillis(500), null, null);
                    if (task.isPresent() && running.get()) {
                        transport.sendResult(answer.apply(task.get(), workerId));
                        handled.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // The orchestrator answered something unexpected: the test's assertions tell.
                }
            }
        });
    }

    /** A worker answering with {@code answer(task, workerId)}. */
    static SkillWorker start(URL root, BiFunction<TaskPayload, String, TaskResult> answer, String... skills) {
        return new SkillWorker(root, answer, skills);
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    String workerId() {
        return workerId;
    }

    @Override
    public void close() {
        running.set(false);
        thread.shutdown();
        transport.close();
    }
}
