package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The outcome of one task. {@code status} defaults to {@code success} and is then omitted on the
 * wire; failures carry a {@link TaskError}. {@code origin_worker_id} names the real executor when
 * the result is relayed through intermediate holons.
 */
@WireMessage
public record TaskResult(
        String jobId,
        String taskId,
        String workerId,
        String originWorkerId,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitSuccess.class) String status,
        Map<String, Object> data,
        TaskError error,
        Map<String, FileMetadata> dataMetadata,
        SecurityContext security,
        Map<String, Object> metadata,
        Long timestamp,
        Map<String, Object> costs)
        implements Signable<TaskResult> {

    public TaskResult {
        Wire.required(jobId, "job_id");
        Wire.required(taskId, "task_id");
        status = Wire.orDefault(status, ResultStatus.SUCCESS.wire());
        data = Wire.map(data);
        dataMetadata = Wire.map(dataMetadata);
        metadata = Wire.map(metadata);
        costs = Wire.map(costs);
    }

    public static TaskResult success(TaskPayload task, String workerId, Map<String, Object> data, long timestamp) {
        return new TaskResult(task.jobId(), task.taskId(), workerId, task.originWorkerIdOr(workerId),
                ResultStatus.SUCCESS.wire(), data, null, null, null, null, timestamp, null);
    }

    public static TaskResult failure(TaskPayload task, String workerId, TaskError error, long timestamp) {
        return new TaskResult(task.jobId(), task.taskId(), workerId, task.originWorkerIdOr(workerId),
                ResultStatus.FAILURE.wire(), null, error, null, null, null, timestamp, null);
    }

    public static TaskResult cancelled(TaskPayload task, String workerId, long timestamp) {
        return new TaskResult(task.jobId(), task.taskId(), workerId, task.originWorkerIdOr(workerId),
                ResultStatus.CANCELLED.wire(), null, null, null, null, null, timestamp, null);
    }

    @JsonIgnore
    public boolean isSuccess() {
        return ResultStatus.SUCCESS.is(status);
    }

    @Override
    public TaskResult withSecurity(SecurityContext security) {
        return new TaskResult(jobId, taskId, workerId, originWorkerId, status, data, error, dataMetadata, security,
                metadata, timestamp, costs);
    }

    public TaskResult withTimestamp(long epochSeconds) {
        return new TaskResult(jobId, taskId, workerId, originWorkerId, status, data, error, dataMetadata, security,
                metadata, epochSeconds, costs);
    }

    public TaskResult withData(Map<String, Object> newData, Map<String, FileMetadata> newDataMetadata) {
        return new TaskResult(jobId, taskId, workerId, originWorkerId, status, newData, error, newDataMetadata,
                security, metadata, timestamp, costs);
    }

    public TaskResult withCosts(Map<String, Object> newCosts) {
        return new TaskResult(jobId, taskId, workerId, originWorkerId, status, data, error, dataMetadata, security,
                metadata, timestamp, newCosts);
    }
}
