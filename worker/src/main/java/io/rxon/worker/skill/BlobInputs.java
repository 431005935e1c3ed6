package io.rxon.worker.skill;

/**
 * How a skill receives the blobs its params refer to ({@link Skill#blobInputs()}).
 */
public enum BlobInputs {
    /**
     * Params keep their {@code s3://} URIs; the skill reads what it needs through
     * {@link SkillContext#blobs()}, streaming and verified. The default.
     */
    STREAM,
    /**
     * Before the skill runs, the worker downloads every {@code s3://} value of the params into the
     * task's directory, verifies it against {@code params_metadata}, and replaces the value by the
     * local path (the reference SDK's behaviour). The files are deleted after the task.
     */
    LOCAL_FILES
}
