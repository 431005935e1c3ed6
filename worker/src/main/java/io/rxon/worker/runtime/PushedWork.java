package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/** What arrives over the socket to be done: pushed tasks (each on a credit's slot) and commands. */
final class PushedWork {

    private final String workerId;
    private final CapacitySlots slots;
    private final TaskExecutor executor;
    private final Consumer<TaskResult> results;
    private final ConnectionState connection;
    private final Clock clock;

    /** @param results where a pushed task that cannot be held is reported (it never happens with a correct peer) */
    PushedWork(String workerId, CapacitySlots slots, TaskExecutor executor, Consumer<TaskResult> results,
            ConnectionState connection, Clock clock) {
        this.workerId = workerId;
        this.slots = slots;
        this.executor = executor;
        this.results = results;
        this.connection = connection;
        this.clock = clock;
    }

    /** Runs a pushed task on the credit it came with, else on a free slot, else hands it back. */
    void taskPushed(TaskPayload task, Optional<CapacitySlots.Permit> credit) {
        CapacitySlots.Permit permit = credit.or(slots::tryReserve).orElse(null);
        connection.contactSucceeded();
        if (permit == null) {
            Log.warnf("task %s was pushed without a credit and no slot is free; handing it back", task.taskId());
            results.accept(TaskResult.failure(task, workerId, new TaskError(
                    ErrorCode.RESOURCE_EXHAUSTED_ERROR, "pushed beyond the worker's credits; no free slot"),
                    clock.instant().getEpochSecond()));
            return;
        }
        executor.start(task, permit);
    }

    void commandReceived(WorkerCommand command) {
        if (Protocol.COMMAND_CANCEL_TASK.equals(command.command()) && command.taskId() != null) {
            if (executor.cancel(command.taskId())) {
                Log.infof("orchestrator cancelled task %s over the socket", command.taskId());
            } else {
                Log.debugf("cancel for task %s, which is not running here", command.taskId());
            }
            return;
        }
        Log.infof("ignoring unsupported command '%s'", command.command());
    }
}
