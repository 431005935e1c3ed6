package io.rxon.common.matching;

import java.util.Collection;
import java.util.Map;

/**
 * The one comparison PROTOCOL.md §6 applies to every {@code properties} map (devices, host
 * resources, installed artifacts), kept in one place so the three cannot drift: a missing value
 * fails, numbers must be at least the required value, lists match by membership or intersection,
 * anything else by Python equality.
 */
public final class PropertyRule {

    private PropertyRule() {}

    /**
     * Whether every required property is satisfied by the available ones; a null or empty
     * requirement always matches, a null available map counts as empty.
     */
    public static boolean matches(Map<String, ?> available, Map<String, ?> required) {
        if (required == null || required.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, ?> entry : required.entrySet()) {
            if (!valueMatches(valueOf(available, entry.getKey()), entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether one available value satisfies one required value. */
    public static boolean valueMatches(Object available, Object required) {
        if (available == null) {
            return false;
        }
        if (PythonValues.isNumber(available) && PythonValues.isNumber(required)) {
            return PythonValues.greaterOrEqual(available, required);
        }
        if (required instanceof Collection<?> allowed) {
            return available instanceof Collection<?> offered
                    ? PythonValues.intersects(offered, allowed)
                    : PythonValues.contains(allowed, available);
        }
        if (available instanceof Collection<?> offered) {
            return PythonValues.contains(offered, required);
        }
        return PythonValues.pythonEquals(available, required);
    }

    private static Object valueOf(Map<String, ?> available, String key) {
        return available == null ? null : available.get(key);
    }
}
