package io.rxon.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads JSON data files from the test classpath (copies kept in the repository, never ../shared). */
public final class TestResources {

    private TestResources() {}

    public static JsonNode json(String name) {
        try (InputStream in = TestResources.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + name);
            }
            return Json.tree(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
