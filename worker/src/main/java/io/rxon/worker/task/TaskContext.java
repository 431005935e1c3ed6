package io.rxon.worker.task;

import io.quarkus.logging.Log;
import io.rxon.common.contract.SkillContract;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.worker.skill.SkillBlobs;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.TaskCancelledException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@link SkillContext} of one running task. */
final class TaskContext implements SkillContext {

    private final TaskRun run;
    private final SkillInfo skill;
    private final SkillContract contract;
    private final Map<String, Object> params;
    private final TaskEvents events;
    private final String workerId;
    private final TaskPayload task;
    private final SkillBlobs blobs;
    private volatile boolean emitted;

    /** @param task the task as the skill sees it (claim-checked params restored; its events' trace context) */
    TaskContext(TaskRun run, SkillInfo skill, SkillContract contract, Map<String, Object> params,
            TaskEvents events, String workerId, TaskPayload task, SkillBlobs blobs) {
        this.run = run;
        this.skill = skill;
        this.contract = contract;
        this.params = params;
        this.events = events;
        this.workerId = workerId;
        this.task = task;
        this.blobs = blobs;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public <T> T paramsAs(Class<T> type) {
        return Json.convert(params, type);
    }

    @Override
    public String taskId() {
        return run.task().taskId();
    }

    @Override
    public String jobId() {
        return run.task().jobId();
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public TaskPayload task() {
        return task;
    }

    @Override
    public SkillBlobs blobs() {
        return blobs;
    }

    @Override
    public Map<String, Object> metadata() {
        return run.task().metadata() == null ? Map.of() : run.task().metadata();
    }

    @Override
    public double priority() {
        return run.task().priority();
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(run.task().deadline()).map(Instant::ofEpochSecond);
    }

    @Override
    public void progress(double fraction, String message) {
        double clamped = Double.isNaN(fraction) ? 0.0 : Math.max(0.0, Math.min(1.0, fraction));
        emitted = true;
        events.progress(task, clamped, message);
    }

    @Override
    public boolean emit(String eventType, Map<String, Object> payload) {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        if (Protocol.EVENT_PROGRESS.equals(eventType)) {
            emitted = true;
            events.emit(task, eventType, payload);
            return true;
        }
        Map<String, Object> declared = skill.eventsSchema();
        if (declared == null || !declared.containsKey(eventType)) {
            Log.warnf("skill %s emitted undeclared event type '%s'; dropped (declare it in events_schema)",
                    skill.name(), eventType);
            return false;
        }
        if (!contract.event(eventType).acceptsEverything()) {
            List<String> violations = contract.event(eventType).validate(payload);
            if (!violations.isEmpty()) {
                Log.warnf("event '%s' of skill %s does not match its schema, dropped: %s", eventType, skill.name(),
                        violations);
                return false;
            }
        }
        emitted = true;
        events.emit(task, eventType, payload);
        return true;
    }

    /** Whether the skill emitted any event (the result then waits for them to be sent). */
    boolean hasEmitted() {
        return emitted;
    }

    @Override
    public boolean isCancelled() {
        return run.isStopRequested();
    }

    @Override
    public void checkCancelled() {
        if (run.isStopRequested()) {
            throw new TaskCancelledException(taskId());
        }
    }

    @Override
    public void pause(Duration duration) {
        try {
            if (run.awaitStop(duration)) {
                throw new TaskCancelledException(taskId());
            }
        } catch (InterruptedException e) {
            if (!run.isStopRequested()) {
                Thread.currentThread().interrupt();
            }
            throw new TaskCancelledException(taskId());
        }
    }
}
