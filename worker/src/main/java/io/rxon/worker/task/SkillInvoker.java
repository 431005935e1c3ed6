package io.rxon.worker.task;

import io.rxon.common.contract.SchemaValidator;
import io.rxon.common.contract.SkillContract;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.security.MessageVerifier;
import io.rxon.common.security.TaskSignatures;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.blob.TaskFiles;
import io.rxon.worker.skill.BlobInputs;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.skill.SkillResult;
import io.rxon.worker.skill.TaskCancelledException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one task through its skill on the calling thread and always comes back with a result:
 * unknown skill ({@code PERMANENT_ERROR}), policy refusal ({@code SECURITY_ERROR}), params that do
 * not match the input schema ({@code INVALID_INPUT_ERROR}), the skill's own outcome mapped by
 * {@link TaskFailures}, data that breaks the output schema ({@code CONTRACT_VIOLATION_ERROR}), or
 * {@code cancelled} / {@code TIMEOUT_ERROR} when the task was stopped. Adds
 * {@code costs.execution_time_seconds} as the reference SDK does.
 */
public final class SkillInvoker {

    /**
     * How long a result waits for the task's events to be sent first, so that the orchestrator
     * never sees progress after the result (which could move a finished job back to running).
     */
    static final Duration EVENTS_BEFORE_RESULT = Duration.ofSeconds(5);

    private final SkillRegistry skills;
    private final TaskEvents events;
    private final Clock clock;
    private final String workerId;
    private final TaskBlobs blobs;
    private final Optional<MessageVerifier> taskVerifier;
    private final TaskTracing tracing;

    /** An invoker without a blob store: tasks that need blobs fail with {@code DEPENDENCY_MISSING_ERROR}. */
    public SkillInvoker(SkillRegistry skills, TaskEvents events, Clock clock, String workerId) {
        this(skills, events, clock, workerId, TaskBlobs.none());
    }

    public SkillInvoker(SkillRegistry skills, TaskEvents events, Clock clock, String workerId, TaskBlobs blobs) {
        this(skills, events, clock, workerId, blobs, Optional.empty());
    }

    /** {@code taskVerifier}: the orchestrator's key; tasks without a matching {@code sig} are refused. */
    public SkillInvoker(SkillRegistry skills, TaskEvents events, Clock clock, String workerId, TaskBlobs blobs,
            Optional<MessageVerifier> taskVerifier) {
        this(skills, events, clock, workerId, blobs, taskVerifier, TaskTracing.off());
    }

    /** {@code tracing}: continues the job's trace around each task (docs/TRACING.md). */
    public SkillInvoker(SkillRegistry skills, TaskEvents events, Clock clock, String workerId, TaskBlobs blobs,
            Optional<MessageVerifier> taskVerifier, TaskTracing tracing) {
        this.skills = skills;
        this.events = events;
        this.clock = clock;
        this.workerId = workerId;
        this.blobs = blobs;
        this.taskVerifier = taskVerifier;
        this.tracing = tracing;
    }

    public TaskResult invoke(TaskRun run) {
        try (TaskTracing.Run traced = tracing.start(run.task(), workerId)) {
            return traced.finish(invoke(run, traced));
        }
    }

    private TaskResult invoke(TaskRun run, TaskTracing.Run traced) {
        TaskPayload task = run.task();
        if (taskVerifier.isPresent() && !TaskSignatures.verify(task, taskVerifier.get())) {
            return failure(run, new TaskError(ErrorCode.SECURITY_ERROR,
                    "task " + task.taskId() + " is not signed by the orchestrator (sig missing or invalid)"));
        }
        Optional<Skill> skill = skills.find(task.type());
        if (skill.isEmpty()) {
            return failure(run, new TaskError(ErrorCode.PERMANENT_ERROR,
                    "worker " + workerId + " has no skill '" + task.type() + "'"));
        }
        SkillInfo info = skill.get().info();
        if (!allowedByPolicy(task)) {
            return failure(run, new TaskError(ErrorCode.SECURITY_ERROR,
                    "the task's policy does not allow skill '" + task.type() + "'"));
        }
        try (TaskFiles files = blobs.files(task)) {
            return invoke(run, skill.get(), info, files, traced);
        }
    }

    /**
     * Blobs around the skill (docs/BLOBS.md): claim-checked params are restored before validation,
     * inputs staged for skills that want files, outputs uploaded and large data offloaded after.
     */
    private TaskResult invoke(TaskRun run, Skill skill, SkillInfo info, TaskFiles files, TaskTracing.Run traced) {
        TaskPayload task;
        try {
            task = traced.carry(traced.step("rxon.blob.restore", () -> blobs.restore(run.task())));
        } catch (RuntimeException e) {
            return failure(run, TaskFailures.toError(e));
        }
        Map<String, Object> params = task.params() == null ? Map.of() : task.params();
        SkillContract contract = skills.contract(info.name());
        if (!contract.input().acceptsEverything()) {
            List<String> violations = contract.input().validate(params);
            if (!violations.isEmpty()) {
                return failure(run, new TaskError(ErrorCode.INVALID_INPUT_ERROR.name(),
                        "params do not match the input schema of skill '" + info.name() + "': " + violations.get(0),
                        Map.of("violations", violations)));
            }
        }
        if (skill.blobInputs() == BlobInputs.LOCAL_FILES) {
            try {
                Map<String, Object> referenced = params;
                params = traced.step("rxon.blob.download", () -> blobs.stageInputs(referenced, files));
            } catch (RuntimeException e) {
                return failure(run, TaskFailures.toError(e));
            }
        }
        TaskContext context = new TaskContext(run, info, contract, params, events, workerId, task, files);
        TaskResult result;
        try {
            result = execute(run, skill, info, context);
        } finally {
            if (context.hasEmitted()) {
                events.flush(EVENTS_BEFORE_RESULT);
            }
        }
        TaskResult produced = result;
        try {
            return traced.step("rxon.blob.upload", () -> blobs.finish(produced, files));
        } catch (RuntimeException e) {
            return failure(run, TaskFailures.toError(e));
        }
    }

    private TaskResult execute(TaskRun run, Skill skill, SkillInfo info, TaskContext context) {
        SkillResult outcome;
        try {
            run.attach(Thread.currentThread());
            outcome = skill.execute(context);
        } catch (Throwable thrown) {
            run.detach();
            boolean cancelled = run.isStopRequested() || TaskFailures.unwrap(thrown) instanceof TaskCancelledException;
            return cancelled ? stopped(run) : failure(run, TaskFailures.toError(thrown));
        } finally {
            run.detach();
        }
        if (run.isStopRequested()) {
            return stopped(run);
        }
        return success(run, info, outcome == null ? SkillResult.empty() : outcome);
    }

    /** The result of a task that was asked to stop: {@code cancelled}, or a timeout failure. */
    public TaskResult stopped(TaskRun run) {
        if (run.stopReason().orElse(TaskRun.StopReason.CANCELLED) == TaskRun.StopReason.TIMED_OUT) {
            return failure(run, new TaskError(ErrorCode.TIMEOUT_ERROR,
                    "task " + run.taskId() + " passed its deadline and was stopped"));
        }
        TaskResult cancelled = TaskResult.cancelled(run.task(), workerId, now());
        return cancelled.withCosts(costs(run, null));
    }

    /** A failure result for {@code run}. */
    public TaskResult failure(TaskRun run, TaskError error) {
        return TaskResult.failure(run.task(), workerId, error, now()).withCosts(costs(run, null));
    }

    private TaskResult success(TaskRun run, SkillInfo info, SkillResult outcome) {
        SchemaValidator output = skills.contract(info.name()).output();
        if (ResultStatus.SUCCESS.is(outcome.status()) && !output.acceptsEverything()) {
            List<String> violations = output.validate(outcome.data() == null ? Map.of() : outcome.data());
            if (!violations.isEmpty()) {
                return failure(run, new TaskError(ErrorCode.CONTRACT_VIOLATION_ERROR.name(),
                        "result of skill '" + info.name() + "' does not match its output schema: " + violations.get(0),
                        Map.of("violations", violations)));
            }
        }
        TaskPayload task = run.task();
        return new TaskResult(task.jobId(), task.taskId(), workerId, task.originWorkerIdOr(workerId),
                outcome.status(), outcome.data(), null, null, null, outcome.metadata(), now(),
                costs(run, outcome.costs()));
    }

    private Map<String, Object> costs(TaskRun run, Map<String, Object> reported) {
        Map<String, Object> costs = new LinkedHashMap<>();
        if (reported != null) {
            costs.putAll(reported);
        }
        double seconds = Duration.between(run.startedAt(), clock.instant()).toMillis() / 1000.0;
        costs.put("execution_time_seconds", Math.max(0.0, seconds));
        return costs;
    }

    /** {@code policy.allowed_skills}, when the task carries it, must name the task's skill. */
    private static boolean allowedByPolicy(TaskPayload task) {
        if (task.policy() == null || !(task.policy().get("allowed_skills") instanceof List<?> allowed)) {
            return true;
        }
        return allowed.contains(task.type());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
