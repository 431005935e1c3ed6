package io.rxon.worker.skill;

import io.rxon.common.protocol.TaskPayload;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a running skill sees of its task and of the worker: the params (already validated against
 * the skill's input schema), the task's metadata, a way to report progress and custom events, and
 * cooperative cancellation. One context per task; safe to use from threads the skill starts.
 */
public interface SkillContext {

    /** The task's params; an empty map when the task carried none. */
    Map<String, Object> params();

    /**
     * The params converted to {@code type} (a record or bean; JSON names must match its property
     * names).
     *
     * @throws IllegalArgumentException when they do not fit, reported as {@code INVALID_INPUT_ERROR}
     */
    <T> T paramsAs(Class<T> type);

    String taskId();

    String jobId();

    /** The id of this worker. */
    String workerId();

    /**
     * The complete task as the orchestrator sent it (tracing context, params metadata, policy…), with
     * offloaded params already restored (docs/BLOBS.md, claim check).
     */
    TaskPayload task();

    /** Blobs: read the task's inputs as verified streams, write outputs under the task's key prefix. */
    SkillBlobs blobs();

    /** The job's metadata as propagated to the task; empty when none. */
    Map<String, Object> metadata();

    /** The task's priority (higher is more urgent). */
    double priority();

    /** The instant by which the orchestrator wants the result, if it set one. */
    Optional<Instant> deadline();

    /**
     * Reports progress as a {@code progress} event ({@code {"progress": fraction, "message": …}}).
     * Sent asynchronously and best effort: never blocks the skill on the network, never throws.
     *
     * @param fraction 0 to 1; values outside are clamped
     * @param message shown to the client; may be null
     */
    void progress(double fraction, String message);

    /**
     * Emits a custom event. The type must be declared in the skill's {@code events_schema} and the
     * payload must validate against it; otherwise the event is dropped with a warning (as the
     * reference SDK does with strict event validation).
     *
     * @return whether the event was accepted for sending
     */
    boolean emit(String eventType, Map<String, Object> payload);

    /** Whether the orchestrator (or a shutting-down worker) asked this task to stop. */
    boolean isCancelled();

    /**
     * Throws {@link TaskCancelledException} when {@link #isCancelled()}; call it between units of
     * work so that a cancelled task stops promptly.
     */
    void checkCancelled();

    /**
     * Waits for {@code duration} unless the task is cancelled first, in which case it throws
     * {@link TaskCancelledException} at once: use it instead of {@link Thread#sleep}.
     */
    void pause(Duration duration);
}
