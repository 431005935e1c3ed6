package io.rxon.common.protocol;

import java.util.Map;

/** A command pushed down a worker's socket; the built-in one is {@code cancel_task}. */
@WireMessage
public record WorkerCommand(
        String command, String taskId, String jobId, Map<String, Object> params, Map<String, Object> metadata) {

    public WorkerCommand {
        Wire.required(command, "command");
        params = Wire.map(params);
        metadata = Wire.map(metadata);
    }

    public static WorkerCommand cancelTask(String jobId, String taskId) {
        return new WorkerCommand(Protocol.COMMAND_CANCEL_TASK, taskId, jobId, null, null);
    }
}
