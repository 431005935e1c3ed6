package io.rxon.worker.skill;

import io.rxon.common.protocol.ResultStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a skill returns: the result {@code data} (validated against the skill's output schema) and,
 * when needed, a custom status for a blueprint transition (declared in
 * {@code SkillInfo.output_statuses}), result metadata and costs ({@code tokens}, {@code usd}…; the
 * worker adds {@code execution_time_seconds}). Failures are thrown, not returned.
 *
 * @param status {@code success} or a custom status; never {@code failure} or {@code cancelled}
 */
public record SkillResult(String status, Map<String, Object> data, Map<String, Object> metadata,
        Map<String, Object> costs) {

    public SkillResult {
        status = status == null ? ResultStatus.SUCCESS.wire() : status;
        if (ResultStatus.FAILURE.is(status) || ResultStatus.CANCELLED.is(status)) {
            throw new IllegalArgumentException("a skill reports '" + status + "' by throwing, not by returning it");
        }
        data = copy(data);
        metadata = copy(metadata);
        costs = copy(costs);
    }

    /** A successful result carrying {@code data}. */
    public static SkillResult of(Map<String, ?> data) {
        return new SkillResult(null, new LinkedHashMap<>(Objects.requireNonNull(data, "data")), null, null);
    }

    /** A successful result without data. */
    public static SkillResult empty() {
        return new SkillResult(null, null, null, null);
    }

    /** A result with a custom status the blueprint transitions on (e.g. {@code needs_review}). */
    public static SkillResult withStatus(String status, Map<String, ?> data) {
        return new SkillResult(Objects.requireNonNull(status, "status"),
                data == null ? null : new LinkedHashMap<>(data), null, null);
    }

    public SkillResult withMetadata(Map<String, Object> newMetadata) {
        return new SkillResult(status, data, newMetadata, costs);
    }

    public SkillResult withCosts(Map<String, Object> newCosts) {
        return new SkillResult(status, data, metadata, newCosts);
    }

    private static Map<String, Object> copy(Map<String, Object> value) {
        return value == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }
}
