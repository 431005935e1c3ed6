package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WireMessage;
import java.util.List;
import java.util.Map;

/**
 * A job as the client API shows it. The result appears only once the job is terminal, as in the
 * reference, with {@code result_metadata} (the worker's {@code data_metadata}: size, ETag, SHA-256 of
 * the blobs the result refers to); instants are epoch milliseconds. {@code origin_worker_id} names
 * the worker that really produced the result of an ended job (read singly): the leaf a lower
 * orchestrator reported when the job ran down a holarchy (docs/HOLARCHY.md), else the assigned worker.
 * A workflow job also shows its workflow and steps; a step's job shows its workflow job
 * ({@code parent_job_id}).
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
        Long finishedAt,
        String originWorkerId,
        String workflow,
        String parentJobId,
        List<String> currentSteps,
        List<Map<String, Object>> steps) {

    public static JobView of(JobEntity job) {
        return of(job, null);
    }

    public static JobView of(JobEntity job, String originWorkerId) {
        return new JobView(job.id, job.type, job.status, job.priority, job.attempts, job.maxAttempts,
                job.assignedWorkerId, job.currentTaskId, job.progress, job.progressMessage,
                job.status.isTerminal() ? job.result : null, job.status.isTerminal() ? job.resultMetadata : null,
                job.error, job.createdAt, job.updatedAt, job.deadlineAt,
                job.finishedAt, originWorkerId, job.workflow, job.parentJobId, null, null);
    }

    /** This workflow job with its steps (docs/WORKFLOWS.md): those running are its current steps. */
    public JobView withSteps(List<Map<String, Object>> allSteps) {
        List<String> current = allSteps.stream().filter(step -> "running".equals(step.get("status")))
                .map(step -> (String) step.get("step")).toList();
        return new JobView(jobId, type, status, priority, attempts, maxAttempts, assignedWorkerId, currentTaskId,
                progress, progressMessage, result, resultMetadata, error, createdAt, updatedAt, deadlineAt, finishedAt,
                originWorkerId, workflow, parentJobId, current, allSteps);
    }
}
