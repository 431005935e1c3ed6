package io.rxon.e2e.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Bodies that are not a JSON object at all, or not well-formed JSON, or JSON the contract rejects
 * (duplicate keys, NaN, a lone surrogate escape). Each must be refused with a 4xx wherever a JSON
 * object is expected.
 */
public final class RawBodies {

    /** A malformed body and its class. */
    public record Raw(String label, byte[] body, boolean mustRefuse) {
        Raw(String label, byte[] body) {
            this(label, body, true);
        }
    }

    private final Poison poison;

    public RawBodies(Poison poison) {
        this.poison = poison;
    }

    /** A malformed variant of a valid JSON object {@code valid}. */
    public Raw malform(byte[] valid) {
        String text = new String(valid, StandardCharsets.UTF_8);
        return switch (poison.random().nextInt(15)) {
            case 0 -> new Raw("JSON null", bytes("null"));
            case 1 -> new Raw("JSON array", bytes(poison.pick(List.of("[]", "[" + text + "]"))));
            case 2 -> new Raw("JSON scalar", bytes(poison.pick(List.of("\"x\"", "1", "true", "-1e308"))));
            case 3 -> new Raw("truncated JSON", Arrays.copyOf(valid, 1 + poison.random().nextInt(valid.length - 1)));
            case 4 -> new Raw("duplicate key", bytes("{" + firstMember(text) + "," + text.substring(1)));
            case 5 -> new Raw("trailing garbage", bytes(text + poison.pick(List.of("x", "{}", "]", "\u0000"))));
            case 6 -> invalidUtf8(text);
            case 7 -> new Raw("NaN literal", bytes("{\"nan\":NaN," + text.substring(1)));
            case 8 -> new Raw("lone surrogate escape", bytes("{\"s\":\"\\ud800\"," + text.substring(1)));
            case 9 -> new Raw("NUL escape in key", bytes("{\"\\u0000\":1," + text.substring(1)), false);
            case 10 -> new Raw("comment", bytes("/* c */" + text));
            // RFC 8259 lets a parser ignore a byte order mark
            case 11 -> new Raw("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid), false);
            case 12 -> new Raw("garbage", bytes(poison.pick(List.of("<xml/>", "a=b&c=d", "{", "}", "\"",
                    "{\"a\":}", "{'a':1}", "\u0000\u0000"))));
            case 13 -> new Raw("deep raw nesting", bytes("[".repeat(100_000)));
            default -> new Raw("huge number", bytes("{\"n\":1e400,\"m\":" + "9".repeat(2_000) + "," + text.substring(1)), false);
        };
    }

    /** The first member of a JSON object text, with its value replaced by a NUL string: a second copy of the key. */
    private static String firstMember(String objectText) {
        int colon = objectText.indexOf(':');
        return colon < 0 ? "\"k\":\"\\u0000\"" : objectText.substring(1, colon) + ":\"\\u0000\"";
    }

    /** A string with bytes that are not UTF-8: a bad continuation, 0xFF, an encoded surrogate, beyond U+10FFFF. */
    private Raw invalidUtf8(String text) {
        byte[] bad = poison.pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                        (byte) 0x80}));
        return new Raw("invalid UTF-8 " + HexFormat.of().formatHex(bad),
                concat(bytes("{\"u\":\""), concat(bad, bytes("\"," + text.substring(1)))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
