package io.rxon.common.matching;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Python's {@code ==} and {@code >=} over JSON values, because the reference matcher is Python:
 * booleans are the numbers 1 and 0, every number compares by exact value ({@code 1 == 1.0},
 * {@code True == 1}), NaN is unordered, and containers compare element by element with the same
 * equality. Everything else is strictly typed: {@code "8"} never equals {@code 8}.
 */
final class PythonValues {

    private PythonValues() {}

    /** Whether Python would treat the value as a number ({@code bool} is a subclass of {@code int}). */
    static boolean isNumber(Object value) {
        return value instanceof Number || value instanceof Boolean;
    }

    /** Python's {@code a >= b} for two numbers; false when either is NaN. */
    static boolean greaterOrEqual(Object a, Object b) {
        OptionalInt order = compareNumbers(a, b);
        return order.isPresent() && order.getAsInt() >= 0;
    }

    /** Python's {@code a == b} for JSON values (null is {@code None}). */
    static boolean pythonEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            OptionalInt order = compareNumbers(a, b);
            return order.isPresent() && order.getAsInt() == 0;
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            return listEquals(left, right);
        }
        if (a instanceof Set<?> left && b instanceof Set<?> right) {
            return left.size() == right.size() && left.stream().allMatch(element -> contains(right, element));
        }
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            return mapEquals(left, right);
        }
        return a.equals(b);
    }

    /** Python's {@code element in collection}. */
    static boolean contains(Collection<?> collection, Object element) {
        for (Object candidate : collection) {
            if (pythonEquals(candidate, element)) {
                return true;
            }
        }
        return false;
    }

    /** Whether two collections share at least one element (Python's non-empty {@code set(a) & set(b)}). */
    static boolean intersects(Collection<?> left, Collection<?> right) {
        for (Object element : left) {
            if (contains(right, element)) {
                return true;
            }
        }
        return false;
    }

    /** The order of two numbers, empty when Python would answer false to every comparison (NaN). */
    static OptionalInt compareNumbers(Object a, Object b) {
        if (isIntegral(a) && isIntegral(b)) {
            return OptionalInt.of(Long.compare(((Number) a).longValue(), ((Number) b).longValue()));
        }
        if (isNaN(a) || isNaN(b)) {
            return OptionalInt.empty();
        }
        int infinityA = infinitySign(a);
        int infinityB = infinitySign(b);
        if (infinityA != 0 || infinityB != 0) {
            return OptionalInt.of(Integer.compare(infinityA, infinityB));
        }
        return OptionalInt.of(exactValue(a).compareTo(exactValue(b)));
    }

    private static boolean listEquals(List<?> left, List<?> right) {
        if (left.size() != right.size()) {
            return false;
        }
        Iterator<?> rightElements = right.iterator();
        return left.stream().allMatch(element -> pythonEquals(element, rightElements.next()));
    }

    private static boolean mapEquals(Map<?, ?> left, Map<?, ?> right) {
        return left.size() == right.size()
                && left.entrySet().stream().allMatch(entry -> right.containsKey(entry.getKey())
                        && pythonEquals(entry.getValue(), right.get(entry.getKey())));
    }

    /** The boxed integers JSON gives us, compared as longs without building exact values. */
    private static boolean isIntegral(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    private static boolean isNaN(Object value) {
        return (value instanceof Double || value instanceof Float) && Double.isNaN(((Number) value).doubleValue());
    }

    /** +1 or -1 for a floating-point infinity, 0 for every finite number. */
    private static int infinitySign(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isInfinite(number) ? (int) Math.signum(number) : 0;
        }
        return 0;
    }

    /** The exact value of a finite number: a double is taken bit for bit, as Python compares int with float. */
    private static BigDecimal exactValue(Object value) {
        if (value instanceof Boolean flag) {
            return flag ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(((Number) value).doubleValue());
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        return new BigDecimal(value.toString());
    }
}
