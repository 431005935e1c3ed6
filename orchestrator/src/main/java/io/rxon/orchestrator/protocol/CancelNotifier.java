package io.rxon.orchestrator.protocol;

import io.rxon.common.protocol.WorkerCommand;
import io.rxon.orchestrator.job.CancelRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells a worker to stop a task: pushed at once over the worker's socket when it has one open
 * here (PROTOCOL.md §11.5); the next heartbeat's {@code cancel_task_ids} carries it otherwise.
 */
@ApplicationScoped
public class CancelNotifier {

    private final Map<String, Consumer<WorkerCommand>> sockets = new ConcurrentHashMap<>();

    /** Called by the socket endpoint when a worker's socket opens; the consumer sends a frame. */
    public void attach(String workerId, Consumer<WorkerCommand> sender) {
        sockets.put(workerId, sender);
    }

    public void detach(String workerId, Consumer<WorkerCommand> sender) {
        sockets.remove(workerId, sender);
    }

    /** A committed cancellation of a running task (the job lifecycle's {@link CancelRequested}). */
    void onCancel(@Observes CancelRequested cancel) {
        Consumer<WorkerCommand> sender = sockets.get(cancel.workerId());
        if (sender != null) {
            sender.accept(WorkerCommand.cancelTask(cancel.jobId(), cancel.taskId()));
        }
    }
}
