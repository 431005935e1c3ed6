package io.rxon.common.contract;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled contract of one skill: validators of its {@code input_schema} (task params),
 * {@code output_schema} (successful result data) and each declared event's schema. A skill whose
 * {@code schema_dialect} is not JSON Schema has no contract to check (PROTOCOL.md §2.2).
 *
 * <p>Compiling is the costly part, so {@link #of} keeps every distinct schema compiled once for the
 * life of the process: a thousand workers declaring the same skill share one validator.
 */
public record SkillContract(SchemaValidator input, SchemaValidator output, Map<String, SchemaValidator> events) {

    /** A skill that declares nothing (or nothing in JSON Schema): every check passes at no cost. */
    public static final SkillContract NONE = new SkillContract(SchemaValidator.ACCEPT_ALL,
            SchemaValidator.ACCEPT_ALL, Map.of());

    /** Past this many distinct schemas the cache starts over: stray schemas cannot grow it forever. */
    static final int MAX_CACHED_SCHEMAS = 1024;

    private static final Map<String, SchemaValidator> COMPILED = new ConcurrentHashMap<>();

    public SkillContract {
        events = Map.copyOf(events);
    }

    public static SkillContract of(SkillInfo skill) {
        if (skill == null || !skill.usesJsonSchema()) {
            return NONE;
        }
        Map<String, SchemaValidator> events = new HashMap<>();
        if (skill.eventsSchema() != null) {
            skill.eventsSchema().forEach((type, schema) -> events.put(type, compiled(schema)));
        }
        SkillContract contract = new SkillContract(compiled(skill.inputSchema()), compiled(skill.outputSchema()),
                events);
        return contract.isEmpty() ? NONE : contract;
    }

    /** The schema of a declared event type; an undeclared one checks nothing here. */
    public SchemaValidator event(String eventType) {
        return events.getOrDefault(eventType, SchemaValidator.ACCEPT_ALL);
    }

    /** Whether nothing at all is checked (no schema, or only empty or broken ones). */
    public boolean isEmpty() {
        return input.acceptsEverything() && output.acceptsEverything()
                && events.values().stream().allMatch(SchemaValidator::acceptsEverything);
    }

    @SuppressWarnings("unchecked")
    private static SchemaValidator compiled(Object schema) {
        if (!(schema instanceof Map<?, ?> map) || map.isEmpty()) {
            return SchemaValidator.ACCEPT_ALL;
        }
        String key = Json.writeString(map);
        SchemaValidator known = COMPILED.get(key);
        if (known != null) {
            return known;
        }
        if (COMPILED.size() >= MAX_CACHED_SCHEMAS) {
            COMPILED.clear();
        }
        return COMPILED.computeIfAbsent(key, k -> SchemaValidator.compile((Map<String, Object>) map));
    }
}
