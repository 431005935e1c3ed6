package io.rxon.common.protocol;

import java.util.Optional;

/**
 * The error codes of PROTOCOL.md §7, carried in {@link TaskError#code()} and in API error bodies.
 * The enum constant name is the wire value.
 */
public enum ErrorCode {
    TRANSIENT_ERROR,
    PERMANENT_ERROR,
    INVALID_INPUT_ERROR,
    INTEGRITY_MISMATCH_ERROR,
    TIMEOUT_ERROR,
    LATE_RESULT,
    RESOURCE_EXHAUSTED_ERROR,
    LIMIT_EXCEEDED_ERROR,
    CONTRACT_VIOLATION_ERROR,
    DEPENDENCY_MISSING_ERROR,
    DEPENDENCY_ERROR,
    SECURITY_ERROR,
    INTERNAL_ERROR;

    /** What the orchestrator does with a failed task carrying this code. */
    public enum Reaction {
        /** Put the task back for another attempt (until attempts run out, then quarantine). */
        RETRY,
        /** Fail the job at once. */
        FAIL,
        /** Move the job to quarantine at once (dead letter). */
        QUARANTINE
    }

    /** The reaction of PROTOCOL.md §7: permanent-type codes quarantine, bad input fails, the rest retry. */
    public Reaction reaction() {
        return switch (this) {
            case PERMANENT_ERROR, SECURITY_ERROR, DEPENDENCY_ERROR, CONTRACT_VIOLATION_ERROR -> Reaction.QUARANTINE;
            case INVALID_INPUT_ERROR, INTEGRITY_MISMATCH_ERROR -> Reaction.FAIL;
            default -> Reaction.RETRY;
        };
    }

    /** Parses a wire code; unknown or missing codes are treated as transient, as the reference does. */
    public static ErrorCode fromWire(String code) {
        return parse(code).orElse(TRANSIENT_ERROR);
    }

    public static Optional<ErrorCode> parse(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (ErrorCode value : values()) {
            if (value.name().equals(code)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
