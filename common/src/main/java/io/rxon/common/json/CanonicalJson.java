package io.rxon.common.json;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonical byte form of PROTOCOL.md §3, identical to the reference's
 * {@code orjson.dumps(to_dict(x), OPT_SORT_KEYS)}: object members with null values dropped (list
 * elements kept), integral floats written as integers, other floats in shortest round-trip form
 * with ryu's layout, keys sorted by code point at every level, compact, raw UTF-8.
 * Signatures and {@code skills_hash} are computed over these bytes.
 */
public final class CanonicalJson {

    /** Deeper documents are rejected, as the reference's recursion limit does. */
    public static final int MAX_DEPTH = 100;

    private static final BigInteger MIN_INTEGER = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_INTEGER = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private CanonicalJson() {}

    /** Canonical bytes of a message record or any value Jackson can turn into a tree. */
    public static byte[] bytes(Object value) {
        return bytes(value instanceof JsonNode node ? node : Json.tree(value), Set.of());
    }

    /**
     * Canonical bytes of {@code node}; when it is an object, the top-level members named in
     * {@code excludedTopLevel} are left out (how signatures skip {@code security}).
     */
    public static byte[] bytes(JsonNode node, Collection<String> excludedTopLevel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(node, out, 0, excludedTopLevel);
        return out.toByteArray();
    }

    public static String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** SHA-256 hex of the canonical bytes: the reference's {@code calculate_dict_hash}. */
    public static String sha256Hex(Object value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(value)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    private static void write(JsonNode node, ByteArrayOutputStream out, int depth, Collection<String> excluded) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || isNull(node)) {
            ascii(out, "null");
        } else if (node.isObject()) {
            writeObject(node, out, depth, excluded);
        } else if (node.isArray()) {
            out.write('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                write(node.get(i), out, depth + 1, Set.of());
            }
            out.write(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isBoolean()) {
            ascii(out, node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            ascii(out, checkedInteger(node.bigIntegerValue()));
        } else if (node.isNumber()) {
            ascii(out, formatFloat(node.doubleValue()));
        } else if (node.isBinary() || node.isPojo()) {
            writeString(node.asText(), out);
        } else {
            throw new IllegalArgumentException("cannot canonicalise JSON node of type " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, ByteArrayOutputStream out, int depth, Collection<String> excluded) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        node.fields().forEachRemaining(member -> {
            if (!isNull(member.getValue()) && !excluded.contains(member.getKey())) {
                members.add(member);
            }
        });
        members.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
        out.write('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            writeString(members.get(i).getKey(), out);
            out.write(':');
            write(members.get(i).getValue(), out, depth + 1, Set.of());
        }
        out.write('}');
    }

    /** Null, and non-finite floats (which the reference's first pass turns into null). */
    private static boolean isNull(JsonNode node) {
        return node.isNull() || node.isMissingNode()
                || (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()));
    }

    private static String checkedInteger(BigInteger value) {
        if (value.compareTo(MIN_INTEGER) < 0 || value.compareTo(MAX_INTEGER) > 0) {
            throw new IllegalArgumentException("integer " + value + " exceeds the 64-bit range of canonical JSON");
        }
        return value.toString();
    }

    /**
     * Integral values become integers ({@code 10.0 -> 10}, {@code -0.0 -> 0}); the rest use the
     * shortest digits that round-trip, laid out like ryu/orjson: plain decimal when the value is at
     * least 1e-5, otherwise {@code 1e-7} or {@code 1.5e-7}.
     */
    static String formatFloat(double value) {
        if (value == Math.rint(value)) {
            return checkedInteger(new BigDecimal(value).toBigIntegerExact());
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int pointPosition = digits.length() - shortest.scale();
        StringBuilder text = new StringBuilder(24);
        if (value < 0) {
            text.append('-');
        }
        if (pointPosition > 0) {
            text.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, digits.length());
        } else if (pointPosition > -5) {
            text.append("0.").append("0".repeat(-pointPosition)).append(digits);
        } else {
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(pointPosition - 1);
        }
        return text.toString();
    }

    /**
     * Schubfach's shortest round-trip decimal. Java's variant never returns fewer than two digits
     * (it renders {@code Double.MIN_VALUE} as 4.9E-324); ryu does ({@code 5e-324}), so a one-digit
     * rounding that still round-trips wins.
     */
    private static BigDecimal shortestDecimal(double magnitude) {
        BigDecimal shortest = new BigDecimal(DoubleToDecimal.toString(magnitude)).stripTrailingZeros();
        if (shortest.precision() == 2) {
            BigDecimal oneDigit = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (oneDigit.doubleValue() == magnitude) {
                return oneDigit.stripTrailingZeros();
            }
        }
        return shortest;
    }

    private static void writeString(String value, ByteArrayOutputStream out) {
        out.write('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                case '\b' -> ascii(out, "\\b");
                case '\f' -> ascii(out, "\\f");
                default -> {
                    if (c < 0x20) {
                        ascii(out, "\\u00");
                        out.write(HEX[c >> 4]);
                        out.write(HEX[c & 0xF]);
                    } else if (c < 0x80) {
                        out.write(c);
                    } else {
                        int codePoint = value.codePointAt(i);
                        if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(codePoint)) {
                            throw new IllegalArgumentException("string contains an unpaired surrogate");
                        }
                        out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                        i += Character.charCount(codePoint) - 1;
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        for (int i = 0; i < text.length(); i++) {
            out.write(text.charAt(i));
        }
    }

    /** Unicode code point order, which is also UTF-8 byte order (UTF-16 order differs for astral keys). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
