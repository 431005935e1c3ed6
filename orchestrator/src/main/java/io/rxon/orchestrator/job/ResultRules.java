package io.rxon.orchestrator.job;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.IgnoredReason;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a result does to its task and job, both locked, inside the caller's transaction (PROTOCOL.md
 * §7): a success finishes the job; a failure fails it, quarantines it, or retries it as its error
 * code's reaction says; a cancellation the worker reports cancels it; any other status is a
 * contract violation. A result for a task that is no longer current is kept but changes nothing.
 */
final class ResultRules {

    private final Attempts attempts;
    private final JobBlobs blobs;
    private final Outbox outbox;
    private final JobEntity job;
    private final TaskEntity task;
    private final long now;

    ResultRules(Attempts attempts, JobBlobs blobs, Outbox outbox, JobEntity job, TaskEntity task, long now) {
        this.attempts = attempts;
        this.blobs = blobs;
        this.outbox = outbox;
        this.job = job;
        this.task = task;
        this.now = now;
    }

    Uni<ResultOutcome> apply(TaskResult result) {
        task.result = Json.convert(result, Map.class);
        task.finishedAt = now;
        if (job.state() instanceof JobState.Cancelled) {
            if (task.state() instanceof TaskState.Assigned assigned) {
                task.moveTo(assigned.cancel(), now);
            }
            return item(ResultOutcome.ignored(IgnoredReason.JOB_CANCELLED.wire(), "job " + job.id + " was cancelled"));
        }
        if (job.state() instanceof JobState.Ended) {
            return item(ResultOutcome.ignored(IgnoredReason.JOB_ALREADY_TERMINATED.wire(), "job " + job.id + " is "
                    + job.status.wire()));
        }
        if (!task.id.equals(job.currentTaskId) || !(task.state() instanceof TaskState.Assigned assigned)
                || !(job.state() instanceof JobState.Running running)) {
            return item(ResultOutcome.ignored(IgnoredReason.STALE_TASK.wire(), "task " + task.id + " is no longer current"));
        }
        Optional<ResultStatus> status = ResultStatus.fromWire(result.status());
        if (status.isEmpty()) {
            task.moveTo(assigned.fail(), now);
            job.error = Attempts.errorMap(new TaskError(ErrorCode.CONTRACT_VIOLATION_ERROR.name(),
                    "unhandled status '" + result.status() + "'", null));
            job.moveTo(running.fail(), now);
            return item(ResultOutcome.accepted("unhandled_status_failure"));
        }
        return switch (status.get()) {
            case SUCCESS -> item(succeed(assigned, running, result));
            case FAILURE -> fail(assigned, running, Optional.ofNullable(result.error())
                    .orElse(new TaskError(ErrorCode.TRANSIENT_ERROR, "failure without error")));
            case CANCELLED -> {
                task.moveTo(assigned.cancel(), now);
                job.moveTo(running.cancel(), now);
                yield item(ResultOutcome.accepted("cancelled_handled"));
            }
        };
    }

    private ResultOutcome succeed(TaskState.Assigned assigned, JobState.Running running, TaskResult result) {
        task.moveTo(assigned.succeed(), now);
        job.result = result.data() == null ? Map.of() : result.data();
        job.resultMetadata = JobBlobs.metadataMap(result.dataMetadata());
        job.blobOwners = withOwners(job.blobOwners, blobs.owners(job.result, job.id));
        job.error = null;
        job.moveTo(running.finish(), now);
        return ResultOutcome.accepted("success_transition");
    }

    private Uni<ResultOutcome> fail(TaskState.Assigned assigned, JobState.Running running, TaskError error) {
        task.moveTo(assigned.fail(), now);
        job.error = Attempts.errorMap(error);
        return switch (error.errorCode().reaction()) {
            case FAIL -> {
                job.moveTo(running.fail(), now);
                yield item(ResultOutcome.accepted("failure_handled"));
            }
            case QUARANTINE -> {
                job.moveTo(running.quarantine(), now);
                yield item(ResultOutcome.accepted("failure_handled"));
            }
            case RETRY -> attempts.retryOrQuarantine(outbox, job, running, now)
                    .replaceWith(ResultOutcome.accepted("failure_handled"));
        };
    }

    /** The blob directories a job refers to, with those of its result added. */
    private static String[] withOwners(String[] current, List<String> more) {
        if (more.isEmpty()) {
            return current;
        }
        Set<String> all = new LinkedHashSet<>(current == null ? List.of() : List.of(current));
        all.addAll(more);
        return all.toArray(String[]::new);
    }

    private static <T> Uni<T> item(T value) {
        return Uni.createFrom().item(value);
    }
}
