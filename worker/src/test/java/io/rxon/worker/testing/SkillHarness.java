package io.rxon.worker.testing;

import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.MockTransport;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.SkillInvoker;
import io.rxon.worker.task.TaskEvents;
import io.rxon.worker.task.TaskRun;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Runs skills through the real invoker (validation, error mapping, events) without a whole worker. */
public final class SkillHarness implements AutoCloseable {

    public static final String WORKER_ID = "w-test";

    private final MockTransport orchestrator = new MockTransport(WORKER_ID, null);
    private final TaskEvents events = new TaskEvents(orchestrator, Clock.systemUTC(), WORKER_ID);
    private final SkillInvoker invoker;

    public SkillHarness(Skill... skills) {
        this(TaskBlobs.none(), skills);
    }

    /** Skills that reach blobs through {@code blobs} (a local directory or S3 store in tests). */
    public SkillHarness(TaskBlobs blobs, Skill... skills) {
        this.invoker = new SkillInvoker(SkillRegistry.of(List.of(skills), Set.of()), events, Clock.systemUTC(),
                WORKER_ID, blobs);
    }

    public TaskResult run(TaskPayload task) {
        return invoker.invoke(new TaskRun(task, Clock.systemUTC().instant()));
    }

    /** Starts {@code run} on a thread of its own, so the test can cancel it. */
    public CompletableFuture<TaskResult> start(TaskRun run) {
        CompletableFuture<TaskResult> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> result.complete(invoker.invoke(run)), "skill-under-test");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Events emitted so far, once they have all been sent. */
    public List<WorkerEventPayload> events() {
        events.flush(Duration.ofSeconds(5));
        return orchestrator.events();
    }

    @Override
    public void close() {
        events.close();
    }
}
