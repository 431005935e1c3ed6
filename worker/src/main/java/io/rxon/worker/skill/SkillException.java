package io.rxon.worker.skill;

import io.rxon.common.protocol.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A skill failure with an explicit RXON error code, which decides what the orchestrator does
 * (PROTOCOL.md §7): {@code PERMANENT_ERROR} quarantines the job, {@code INVALID_INPUT_ERROR} fails
 * it, {@code TRANSIENT_ERROR} and the like retry it. Throw it from {@link Skill#execute} when the
 * default mapping of plain exceptions would say the wrong thing.
 */
public class SkillException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, Object> details;

    public SkillException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public SkillException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    /** @param details reported in {@code error.details}; must be JSON-serialisable */
    public SkillException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = details == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ErrorCode code() {
        return code;
    }

    /** Extra facts for {@code error.details}; null when none. */
    public Map<String, Object> details() {
        return details;
    }
}
