package io.rxon.worker.skill;

/**
 * Thrown by {@link SkillContext#checkCancelled()} and {@link SkillContext#pause} when the task was
 * cancelled; let it propagate and the worker reports the task {@code cancelled}.
 */
public class TaskCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskCancelledException(String taskId) {
        super("task " + taskId + " was cancelled");
    }
}
