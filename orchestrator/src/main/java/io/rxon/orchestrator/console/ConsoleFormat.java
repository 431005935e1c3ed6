package io.rxon.orchestrator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Values as the console shows them: UTC times, indented JSON, blob references found in a document. */
final class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormat() {}

    static String time(Long epochMillis) {
        return epochMillis == null || epochMillis == 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Indented JSON, or null for nothing (so a template can leave the section out). */
    static String json(Object value) {
        if (value == null || value instanceof Map<?, ?> map && map.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** Every blob reference ({@code s3://...}) anywhere in the given documents, in order of appearance. */
    static Set<String> blobUris(Object... documents) {
        Set<String> found = new LinkedHashSet<>();
        for (Object document : documents) {
            collect(document, found);
        }
        return found;
    }

    private static void collect(Object value, Set<String> found) {
        if (BlobUri.isBlobUri(value)) {
            found.add((String) value);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(child -> collect(child, found));
        } else if (value instanceof Collection<?> list) {
            list.forEach(child -> collect(child, found));
        }
    }
}
