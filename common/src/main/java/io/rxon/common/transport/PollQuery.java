package io.rxon.common.transport;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The long-poll query string as the reference listener parses it: {@code timeout} as decimal
 * seconds ({@code 30.0}, {@code 1.5}), skill lists comma-joined (each name encoded, the commas kept literal). A null list leaves its parameter
 * out (the server then does not filter); an empty list is sent empty, meaning "none".
 */
final class PollQuery {

    private PollQuery() {}

    static String of(Duration timeout, List<String> availableSkills, List<String> hotSkills) {
        StringBuilder query = new StringBuilder("?timeout=").append(decimalSeconds(timeout));
        appendList(query, "available_skills", availableSkills);
        appendList(query, "hot_skills", hotSkills);
        return query.toString();
    }

    static String decimalSeconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros();
        return (seconds.scale() < 1 ? seconds.setScale(1) : seconds).toPlainString();
    }

    private static void appendList(StringBuilder query, String name, List<String> values) {
        if (values != null) {
            query.append('&').append(name).append('=').append(values.stream()
                    .map(value -> URLEncoder.encode(value, StandardCharsets.UTF_8))
                    .collect(Collectors.joining(",")));
        }
    }
}
