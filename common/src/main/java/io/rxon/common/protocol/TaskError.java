package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * Why a task failed: an {@link ErrorCode} (kept as a string, custom codes pass through), a
 * message and optional details. A bare string on the wire is accepted as the message of a
 * transient error, as the reference does.
 */
@WireMessage
public record TaskError(String code, String message, Map<String, Object> details) {

    @JsonCreator
    public TaskError {
        code = Wire.orDefault(code, ErrorCode.TRANSIENT_ERROR.name());
        message = Wire.orDefault(message, "");
        details = Wire.map(details);
    }

    public TaskError(ErrorCode code, String message) {
        this(code.name(), message, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TaskError fromMessage(String message) {
        return new TaskError(ErrorCode.TRANSIENT_ERROR.name(), message, null);
    }

    public ErrorCode errorCode() {
        return ErrorCode.fromWire(code);
    }
}
