package io.rxon.common.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses an HTTP {@code Retry-After} value in either form RFC 9110 allows: delay seconds (the
 * reference also accepts decimals) or an HTTP-date, turned into the wait from now. Past dates and
 * negative numbers mean "retry now"; anything unreadable means the server gave no advice.
 */
final class RetryAfter {

    private RetryAfter() {}

    static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            double seconds = Double.parseDouble(trimmed);
            if (Double.isFinite(seconds)) {
                return Optional.of(Duration.ofMillis(Math.round(Math.max(0, seconds) * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException notNumeric) {
            return parseDate(trimmed, clock);
        }
    }

    private static Optional<Duration> parseDate(String value, Clock clock) {
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), when.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
