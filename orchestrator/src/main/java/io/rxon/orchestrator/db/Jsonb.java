package io.rxon.orchestrator.db;

import io.rxon.common.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * JSONB values read with the reactive client, as plain maps and lists through the shared mapper
 * (never Vert.x types nested inside, which the wire records would not serialise as the protocol
 * wants).
 */
public final class Jsonb {

    private Jsonb() {}

    /** A column read as text ({@code column::text}): parsed once. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String json) {
        return json == null ? null : Json.read(json, Map.class);
    }

    /** A column the client decoded itself. */
    public static Map<String, Object> map(JsonObject json) {
        return json == null ? null : map(json.encode());
    }
}
