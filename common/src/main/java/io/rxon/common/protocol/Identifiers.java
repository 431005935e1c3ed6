package io.rxon.common.protocol;

import java.util.regex.Pattern;

/**
 * The identifier rule of PROTOCOL.md §2.6 for worker ids, job ids, task types and skill names:
 * 1 to 128 characters from {@code [A-Za-z0-9_-]}.
 */
public final class Identifiers {

    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");

    private Identifiers() {}

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /**
     * Returns {@code value} when it is a valid identifier.
     *
     * @param what the field name used in the error message, e.g. {@code worker_id}
     * @throws IllegalArgumentException naming the field and the rule otherwise
     */
    public static String require(String value, String what) {
        if (!isValid(value)) {
            throw new IllegalArgumentException(what + " must be 1-128 characters of [A-Za-z0-9_-], got "
                    + (value == null ? "null" : "'" + abbreviate(value) + "'"));
        }
        return value;
    }

    /**
     * Turns any string (a host name, say) into a valid identifier by replacing every other
     * character with {@code -} and truncating to 128 characters.
     */
    public static String sanitize(String value) {
        if (value == null || value.isEmpty()) {
            return "worker";
        }
        String cleaned = value.replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
