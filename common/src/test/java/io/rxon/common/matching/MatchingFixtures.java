package io.rxon.common.matching;

import io.rxon.common.json.Json;

/** Builds test inputs from JSON text, so tables read like the wire and pass through our decoder. */
final class MatchingFixtures {

    private MatchingFixtures() {}

    /** A JSON value as Jackson hands it over: Integer, Long, BigInteger, Double, Boolean, String, List, Map, null. */
    static Object value(String json) {
        return Json.read(json, Object.class);
    }

    static <T> T parse(String json, Class<T> type) {
        return Json.read(json, type);
    }
}
