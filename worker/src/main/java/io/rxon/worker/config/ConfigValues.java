package io.rxon.worker.config;

import io.rxon.common.json.Json;
import java.util.regex.Pattern;

/**
 * Gives configuration strings their JSON type, because matching compares types: a device property
 * {@code vram_gb=24} must be the number 24 for a requirement {@code vram_gb >= 16} to match, not the
 * string "24". {@code true}/{@code false} become booleans, integers and decimals numbers, text
 * starting with {@code [} or <code>{</code> is parsed as JSON; anything else stays a string (quote it
 * as JSON, {@code "\"24\""}, to force a string).
 */
public final class ConfigValues {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private ConfigValues() {}

    public static Object typed(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (INTEGER.matcher(value).matches()) {
            return Long.valueOf(value);
        }
        if (DECIMAL.matcher(value).matches()) {
            return Double.valueOf(value);
        }
        if (value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
            try {
                return Json.read(value, Object.class);
            } catch (IllegalArgumentException e) {
                return raw;
            }
        }
        return raw;
    }
}
