package io.rxon.orchestrator.db;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL can store, checked before anything is written: a {@code text} or {@code jsonb}
 * value cannot hold U+0000, a string with an unpaired UTF-16 surrogate has no UTF-8 form, jsonb
 * has no infinite numbers, and very deep documents exhaust the server's stack. Such a value is
 * refused at the edge with a message naming the field, instead of failing the write (a 500 that a
 * worker would retry forever).
 */
public final class StorableJson {

    /** Deepest nesting accepted; the canonical JSON of signatures stops at the same depth (PROTOCOL.md §3). */
    public static final int MAX_DEPTH = 100;

    private StorableJson() {}

    /** The first reason {@code node} cannot be stored, naming its path from {@code root}; empty when it can. */
    public static Optional<String> problem(JsonNode node, String root) {
        return problem(node, root, 0);
    }

    /** The reason {@code value} cannot be stored as text, naming it as {@code field}; empty when it can. */
    public static Optional<String> problem(String value, String field) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return Optional.of(name(field) + " contains the character U+0000, which cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(name(field) + " contains an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + "), which is not valid Unicode");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problem(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.of(name(path) + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isTextual()) {
            return problem(node.textValue(), path);
        }
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return Optional.of(name(path) + " is not a finite number");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                Optional<String> found = problem(field.getKey(), "the key of " + child)
                        .or(() -> problem(field.getValue(), child, depth + 1));
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = problem(node.get(i), path + "[" + i + "]", depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** How a field is named in a message: its path, or "the body" for the document itself. */
    private static String name(String path) {
        return path.isEmpty() ? "the body" : printable(path);
    }

    /** Text as it may be shown and stored: control characters and surrogates escaped, at most about 200 characters. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
