package io.rxon.common.blob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Finds and rewrites blob references in params and result data (PROTOCOL.md §8): every string value
 * that is an {@code s3://} URI, at any depth, addressed by its key path ({@code a.b}, {@code list[0]}),
 * the keys of {@code params_metadata} and {@code data_metadata}.
 */
public final class BlobReferences {

    private BlobReferences() {}

    /** Key path to URI of every reference in {@code payload}, in document order. */
    public static Map<String, String> find(Map<String, Object> payload) {
        Map<String, String> found = new LinkedHashMap<>();
        rewrite(payload, (path, value) -> {
            if (BlobUri.isBlobUri(value)) {
                found.put(path, value);
            }
            return value;
        });
        return found;
    }

    /**
     * A copy of {@code payload} in which every string value is replaced by what {@code change}
     * returns for its key path and value (return the value itself to keep it).
     */
    public static Map<String, Object> rewrite(Map<String, Object> payload, BiFunction<String, String, Object> change) {
        if (payload == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        payload.forEach((key, value) -> copy.put(key, rewriteValue(key, value, change)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object rewriteValue(String path, Object value, BiFunction<String, String, Object> change) {
        if (value instanceof String text) {
            return change.apply(path, text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, nested) -> copy.put(key, rewriteValue(path + "." + key, nested,
                    change)));
            return copy;
        }
        if (value instanceof List<?> list) {
            Object[] copy = new Object[list.size()];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = rewriteValue(path + "[" + i + "]", list.get(i), change);
            }
            return java.util.Arrays.asList(copy);
        }
        return value;
    }
}
