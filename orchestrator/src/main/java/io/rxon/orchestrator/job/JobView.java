package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WireMessage;
import java.util.Map;

/**
 * A job as the client API shows it. The result appears only once the job is terminal, as in the
 * reference, with {@code result_metadata} (the worker's {@code data_metadata}: size, ETag, SHA-256 of
 * the blobs the result refers to); instants are epoch milliseconds.
 */
@WireMessage
public record JobView(
        String jobId,
        String type,
        JobStatus status,
        double priority,
        int attempts,
        int maxAttempts,
        String assignedWorkerId,
        String currentTaskId,
        Double progress,
        String progressMessage,
        Map<String, Object> result,
        Map<String, Object> resultMetadata,
        Map<String, Object> error,
        long createdAt,
        long updatedAt,
        Long deadlineAt,
        Long finishedAt) {

    public static JobView of(JobEntity job) {
        return new JobView(job.id, job.type, job.status, job.priority, job.attempts, job.maxAttempts,
                job.assignedWorkerId, job.currentTaskId, job.progress, job.progressMessage,
                job.status.isTerminal() ? job.result : null, job.status.isTerminal() ? job.resultMetadata : null,
                job.error, job.createdAt, job.updatedAt, job.deadlineAt,
                job.finishedAt);
    }
}
