package io.rxon.common.matching;

import io.rxon.common.protocol.SkillInfo;
import java.util.Map;

/**
 * Looks up a field of a {@code skill} requirement the way the reference does
 * ({@code getattr(skill, field)}, falling back to {@code skill.properties[field]} when that is
 * null), using the snake_case wire names of {@link SkillInfo}.
 */
final class SkillFields {

    private SkillFields() {}

    static Object valueOf(SkillInfo skill, String field) {
        Object attribute = attribute(skill, field);
        if (attribute != null) {
            return attribute;
        }
        Map<String, Object> properties = skill.properties();
        return properties == null ? null : properties.get(field);
    }

    private static Object attribute(SkillInfo skill, String field) {
        return switch (field) {
            case "name" -> skill.name();
            case "type" -> skill.type();
            case "description" -> skill.description();
            case "version" -> skill.version();
            case "input_schema" -> skill.inputSchema();
            case "output_schema" -> skill.outputSchema();
            case "events_schema" -> skill.eventsSchema();
            case "output_statuses" -> skill.outputStatuses();
            case "schema_dialect" -> skill.schemaDialect();
            case "properties" -> skill.properties();
            default -> null;
        };
    }
}
