package io.rxon.worker.skill;

import io.rxon.common.protocol.SkillInfo;

/**
 * A capability this worker offers: user code the worker runs for every task whose {@code type}
 * equals {@link #name()}. Implement it as a CDI bean (for example {@code @ApplicationScoped}) and
 * the worker finds it, advertises its {@link SkillInfo} (with the JSON Schemas of input, output and
 * custom events) at registration, validates each task's params against the input schema, and
 * reports what {@link #execute} returns or throws as the task result.
 *
 * <p>How failures become error codes (PROTOCOL.md §7): a {@link SkillException} carries its own
 * code; {@link IllegalArgumentException} means {@code INVALID_INPUT_ERROR}; an integrity exception
 * means {@code INTEGRITY_MISMATCH_ERROR}; anything else {@code TRANSIENT_ERROR} (the orchestrator
 * retries). A task cancelled while running is reported {@code cancelled} whatever it threw.
 *
 * <p>{@code execute} runs on a worker thread of its own, one task per thread, as many at a time as
 * the worker has slots; it may block. See SKILLS.md for a complete example.
 */
public interface Skill {

    /** The descriptor advertised to the orchestrator; build it with {@link SkillDescriptor}. */
    SkillInfo info();

    /** The task type this skill serves: an identifier ({@code [A-Za-z0-9_-]}, 1 to 128 characters). */
    default String name() {
        return info().name();
    }

    /**
     * Runs one task.
     *
     * @param context the task's params and metadata, progress and event reporting, cancellation
     * @return the result data (and optionally a custom status, metadata and costs)
     * @throws Exception any failure; see the class comment for how it is reported
     */
    SkillResult execute(SkillContext context) throws Exception;

    /**
     * How blob references in the params reach the skill: as URIs to stream ({@link BlobInputs#STREAM},
     * the default) or downloaded to local files before {@link #execute} runs.
     */
    default BlobInputs blobInputs() {
        return BlobInputs.STREAM;
    }
}
