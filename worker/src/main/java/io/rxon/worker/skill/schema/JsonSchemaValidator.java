package io.rxon.worker.skill.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates JSON values (as Jackson decodes them: maps, lists, strings, numbers, booleans, null)
 * against the part of JSON Schema that real skill contracts use: {@code type} (one or a list),
 * {@code enum}, {@code const}, {@code required}, {@code properties}, {@code additionalProperties}
 * ({@code false} or a schema), {@code minProperties}/{@code maxProperties}, {@code minimum},
 * {@code maximum}, {@code exclusiveMinimum}/{@code exclusiveMaximum} (number or draft-4 boolean),
 * {@code multipleOf}, {@code minLength}/{@code maxLength}, {@code pattern}, {@code items} (a schema,
 * or a list for tuples), {@code minItems}/{@code maxItems}, {@code uniqueItems}, {@code allOf},
 * {@code anyOf}, {@code oneOf}, {@code not}, and boolean schemas. Unknown keywords ({@code $ref},
 * {@code format}, {@code description}…) are ignored, so a schema never fails to load; at worst it
 * checks less.
 *
 * <p>As in JSON Schema (and unlike Python's {@code isinstance}), booleans are not numbers and
 * {@code 2.0} is an integer. Stateless and thread-safe.
 */
public final class JsonSchemaValidator {

    /** Reports stop after this many violations, so a huge bad document cannot flood a result. */
    public static final int MAX_VIOLATIONS = 20;

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private JsonSchemaValidator() {}

    /**
     * @param schema a JSON Schema object (null or empty accepts everything)
     * @param instance the value to check
     * @return one line per violation, each starting with the JSON path of the offending value
     *     ({@code $}, {@code $.name}, {@code $.items[2]}); empty when the value is valid
     */
    public static List<String> validate(Map<String, Object> schema, Object instance) {
        List<String> violations = new ArrayList<>();
        check(schema, instance, "$", violations);
        return violations.size() > MAX_VIOLATIONS
                ? Collections.unmodifiableList(violations.subList(0, MAX_VIOLATIONS))
                : Collections.unmodifiableList(violations);
    }

    public static boolean isValid(Map<String, Object> schema, Object instance) {
        return validate(schema, instance).isEmpty();
    }

    private static void check(Object schema, Object value, String path, List<String> out) {
        if (out.size() > MAX_VIOLATIONS || schema == null || Boolean.TRUE.equals(schema)) {
            return;
        }
        if (Boolean.FALSE.equals(schema)) {
            out.add(path + ": no value is allowed here");
            return;
        }
        if (!(schema instanceof Map<?, ?> rules)) {
            return;
        }
        if (!checkType(rules.get("type"), value, path, out)) {
            return;
        }
        checkEnumAndConst(rules, value, path, out);
        if (value instanceof Map<?, ?> object) {
            checkObject(rules, object, path, out);
        } else if (value instanceof List<?> array) {
            checkArray(rules, array, path, out);
        } else if (value instanceof String text) {
            checkString(rules, text, path, out);
        } else if (isNumber(value)) {
            checkNumber(rules, decimal(value), path, out);
        }
        checkCombinators(rules, value, path, out);
    }

    private static boolean checkType(Object type, Object value, String path, List<String> out) {
        if (type == null) {
            return true;
        }
        List<?> allowed = type instanceof List<?> list ? list : List.of(type);
        for (Object name : allowed) {
            if (name instanceof String typeName && hasType(typeName, value)) {
                return true;
            }
        }
        String expected = allowed.size() == 1 ? String.valueOf(allowed.get(0)) : "one of " + allowed;
        out.add(path + ": expected " + expected + ", got " + typeOf(value));
        return false;
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> isNumber(value);
            case "integer" -> isNumber(value) && isIntegral(decimal(value));
            default -> true;
        };
    }

    /** The JSON Schema name of a value's type, for messages. */
    static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (isNumber(value)) {
            return isIntegral(decimal(value)) ? "integer" : "number";
        }
        return value.getClass().getSimpleName();
    }

    private static void checkEnumAndConst(Map<?, ?> rules, Object value, String path, List<String> out) {
        if (rules.get("enum") instanceof List<?> options && options.stream().noneMatch(o -> jsonEquals(o, value))) {
            out.add(path + ": must be one of " + options + ", got " + render(value));
        }
        if (rules.containsKey("const") && !jsonEquals(rules.get("const"), value)) {
            out.add(path + ": must be " + render(rules.get("const")) + ", got " + render(value));
        }
    }

    private static void checkObject(Map<?, ?> rules, Map<?, ?> object, String path, List<String> out) {
        if (rules.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (!object.containsKey(name)) {
                    out.add(path + ": missing required property '" + name + "'");
                }
            }
        }
        Map<?, ?> properties = rules.get("properties") instanceof Map<?, ?> map ? map : Map.of();
        Object additional = rules.get("additionalProperties");
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String childPath = path + "." + member.getKey();
            if (properties.containsKey(member.getKey())) {
                check(properties.get(member.getKey()), member.getValue(), childPath, out);
            } else if (Boolean.FALSE.equals(additional)) {
                out.add(path + ": property '" + member.getKey() + "' is not allowed");
            } else if (additional instanceof Map) {
                check(additional, member.getValue(), childPath, out);
            }
        }
        Integer min = integer(rules.get("minProperties"));
        if (min != null && object.size() < min) {
            out.add(path + ": needs at least " + min + " properties, has " + object.size());
        }
        Integer max = integer(rules.get("maxProperties"));
        if (max != null && object.size() > max) {
            out.add(path + ": allows at most " + max + " properties, has " + object.size());
        }
    }

    private static void checkArray(Map<?, ?> rules, List<?> array, String path, List<String> out) {
        Object items = rules.get("items");
        if (items instanceof List<?> tuple) {
            for (int i = 0; i < Math.min(tuple.size(), array.size()); i++) {
                check(tuple.get(i), array.get(i), path + "[" + i + "]", out);
            }
        } else if (items != null) {
            for (int i = 0; i < array.size(); i++) {
                check(items, array.get(i), path + "[" + i + "]", out);
            }
        }
        Integer min = integer(rules.get("minItems"));
        if (min != null && array.size() < min) {
            out.add(path + ": needs at least " + min + " items, has " + array.size());
        }
        Integer max = integer(rules.get("maxItems"));
        if (max != null && array.size() > max) {
            out.add(path + ": allows at most " + max + " items, has " + array.size());
        }
        if (Boolean.TRUE.equals(rules.get("uniqueItems"))) {
            for (int i = 0; i < array.size(); i++) {
                for (int j = i + 1; j < array.size(); j++) {
                    if (jsonEquals(array.get(i), array.get(j))) {
                        out.add(path + ": items " + i + " and " + j + " are equal, items must be unique");
                        return;
                    }
                }
            }
        }
    }

    private static void checkString(Map<?, ?> rules, String text, String path, List<String> out) {
        int length = text.codePointCount(0, text.length());
        Integer min = integer(rules.get("minLength"));
        if (min != null && length < min) {
            out.add(path + ": must be at least " + min + " characters long, is " + length);
        }
        Integer max = integer(rules.get("maxLength"));
        if (max != null && length > max) {
            out.add(path + ": must be at most " + max + " characters long, is " + length);
        }
        if (rules.get("pattern") instanceof String regex) {
            Pattern pattern = compile(regex);
            if (pattern != null && !pattern.matcher(text).find()) {
                out.add(path + ": must match the pattern " + regex);
            }
        }
    }

    private static void checkNumber(Map<?, ?> rules, BigDecimal number, String path, List<String> out) {
        Object exclusiveMin = rules.get("exclusiveMinimum");
        Object exclusiveMax = rules.get("exclusiveMaximum");
        if (isNumber(rules.get("minimum"))) {
            BigDecimal minimum = decimal(rules.get("minimum"));
            boolean exclusive = Boolean.TRUE.equals(exclusiveMin);
            if (exclusive ? number.compareTo(minimum) <= 0 : number.compareTo(minimum) < 0) {
                out.add(path + ": must be " + (exclusive ? "greater than " : "at least ") + minimum.toPlainString()
                        + ", got " + number.toPlainString());
            }
        }
        if (isNumber(rules.get("maximum"))) {
            BigDecimal maximum = decimal(rules.get("maximum"));
            boolean exclusive = Boolean.TRUE.equals(exclusiveMax);
            if (exclusive ? number.compareTo(maximum) >= 0 : number.compareTo(maximum) > 0) {
                out.add(path + ": must be " + (exclusive ? "less than " : "at most ") + maximum.toPlainString()
                        + ", got " + number.toPlainString());
            }
        }
        if (isNumber(exclusiveMin) && number.compareTo(decimal(exclusiveMin)) <= 0) {
            out.add(path + ": must be greater than " + decimal(exclusiveMin).toPlainString() + ", got "
                    + number.toPlainString());
        }
        if (isNumber(exclusiveMax) && number.compareTo(decimal(exclusiveMax)) >= 0) {
            out.add(path + ": must be less than " + decimal(exclusiveMax).toPlainString() + ", got "
                    + number.toPlainString());
        }
        if (isNumber(rules.get("multipleOf"))) {
            BigDecimal factor = decimal(rules.get("multipleOf"));
            if (factor.signum() > 0 && number.remainder(factor).signum() != 0) {
                out.add(path + ": must be a multiple of " + factor.toPlainString());
            }
        }
    }

    private static void checkCombinators(Map<?, ?> rules, Object value, String path, List<String> out) {
        if (rules.get("allOf") instanceof List<?> all) {
            for (Object schema : all) {
                check(schema, value, path, out);
            }
        }
        if (rules.get("anyOf") instanceof List<?> any && any.stream().noneMatch(s -> matches(s, value, path))) {
            out.add(path + ": must match at least one of the anyOf schemas");
        }
        if (rules.get("oneOf") instanceof List<?> one) {
            long matching = one.stream().filter(s -> matches(s, value, path)).count();
            if (matching != 1) {
                out.add(path + ": must match exactly one of the oneOf schemas, matches " + matching);
            }
        }
        if (rules.containsKey("not") && matches(rules.get("not"), value, path)) {
            out.add(path + ": must not match the 'not' schema");
        }
    }

    private static boolean matches(Object schema, Object value, String path) {
        List<String> scratch = new ArrayList<>();
        check(schema, value, path, scratch);
        return scratch.isEmpty();
    }

    private static Pattern compile(String regex) {
        try {
            return PATTERNS.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static boolean isNumber(Object value) {
        return value instanceof Number && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))
                && !(value instanceof Float f && (f.isNaN() || f.isInfinite()));
    }

    private static BigDecimal decimal(Object number) {
        if (number instanceof BigDecimal big) {
            return big;
        }
        if (number instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(((Number) number).longValue());
        }
        return new BigDecimal(number.toString());
    }

    private static boolean isIntegral(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    private static Integer integer(Object value) {
        return isNumber(value) ? ((Number) value).intValue() : null;
    }

    /** Equality of JSON values: numbers by value ({@code 1 == 1.0}), objects and arrays deeply. */
    static boolean jsonEquals(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            if (!left.keySet().equals(right.keySet())) {
                return false;
            }
            Set<Object> keys = new HashSet<>(left.keySet());
            return keys.stream().allMatch(key -> jsonEquals(left.get(key), right.get(key)));
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!jsonEquals(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    private static String render(Object value) {
        if (value instanceof String text) {
            return "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
        }
        String rendered = String.valueOf(value);
        return rendered.length() > 60 ? rendered.substring(0, 60) + "…" : rendered;
    }
}
