package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The DSL's durations: an ISO 8601 string ({@code PT5S}) or an object of days, hours, minutes, seconds, milliseconds. */
final class Durations {

    private Durations() {}

    static long millis(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException("a duration is missing");
        }
        if (value.isTextual()) {
            try {
                return Duration.parse(value.asText()).toMillis();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value.asText() + "' is not an ISO 8601 duration", e);
            }
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("a duration is an ISO 8601 string or an object");
        }
        long millis = value.path("days").asLong(0) * 86_400_000L + value.path("hours").asLong(0) * 3_600_000L
                + value.path("minutes").asLong(0) * 60_000L + value.path("seconds").asLong(0) * 1000L
                + value.path("milliseconds").asLong(0);
        if (millis < 0) {
            throw new IllegalArgumentException("a duration cannot be negative");
        }
        return millis;
    }
}
