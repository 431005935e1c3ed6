package io.rxon.e2e.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One fuzzed request: the endpoint it targets (a path template, for grouping), what was mutated,
 * the request itself, and what it must get. Every probe must get an answer below 500;
 * {@link Expect#REFUSE} probes carry input the documented contract rejects, so they must get a 4xx.
 */
public record Probe(String endpoint, String mutation, String method, String uri, Map<String, String> headers,
        byte[] body, Expect expect) {

    public enum Expect {
        /** Any answer below 500 will do: the input may be valid, refused, or stored safely. */
        NO_SERVER_ERROR,
        /** The input is invalid by the contract (README, PROTOCOL.md): a 4xx, never a 2xx. */
        REFUSE,
        /**
         * A framing error in the body, or a body over the size limit: a 4xx, or the connection
         * closed without an answer (RFC 9112 lets a server close on either).
         */
        REFUSE_OR_CLOSE
    }

    public Probe {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The request as a reader can reproduce it: method, URI, headers and the start of the body, escaped. */
    public String describe() {
        return method + " " + excerpt(uri, 200) + " " + headers.keySet().stream()
                .filter(name -> !name.toLowerCase().contains("token") && !name.equalsIgnoreCase("authorization"))
                .map(name -> name + "=" + excerpt(headers.get(name), 60)).toList()
                + " body(" + body.length + "B)=" + excerpt(new String(body, StandardCharsets.UTF_8), 240);
    }

    /** Text shortened and with control characters made visible, so a NUL shows as {@code \u0000}. */
    public static String excerpt(String text, int length) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validPair(text, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > length ? out + "…(" + text.length() + " chars)" : out.toString();
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
