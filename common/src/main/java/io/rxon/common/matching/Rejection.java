package io.rxon.common.matching;

/**
 * Why a worker may not run a task, as a small fixed set of codes so that a dispatcher can count
 * rejections per reason and report them when no worker qualifies (PROTOCOL.md §6).
 */
public enum Rejection {
    WORKER_DRAINING("worker_is_draining"),
    MISSING_WORKER_RESOURCES("missing_worker_resources"),
    RESOURCE_MISMATCH("resource_mismatch"),
    ARTIFACT_MISMATCH("artifact_mismatch"),
    SOFTWARE_MISMATCH("software_mismatch"),
    SKILL_NOT_FOUND("skill_not_found"),
    SKILL_MISMATCH("skill_mismatch"),
    EXTRA_MISMATCH("extra_mismatch");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    /** The snake_case code used in logs, metrics and error messages. */
    public String code() {
        return code;
    }
}
