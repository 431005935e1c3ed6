package io.rxon.common.matching;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.protocol.Resources;
import java.io.IOException;

/**
 * Reads a {@code resources} requirement, wrapping a flat map that names {@code cpu_cores} or
 * {@code ram_gb} but has no {@code properties} into {@code {"properties": …}} as the reference
 * dispatcher does.
 */
final class ResourcesRequirementDeserializer extends StdDeserializer<Resources> {

    private static final String PROPERTIES = "properties";

    ResourcesRequirementDeserializer() {
        super(Resources.class);
    }

    @Override
    public Resources deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        return context.readTreeAsValue(isFlatHostRequirement(node) ? wrap(node, context) : node, Resources.class);
    }

    private static boolean isFlatHostRequirement(JsonNode node) {
        return node.isObject() && !node.has(PROPERTIES) && (node.has("cpu_cores") || node.has("ram_gb"));
    }

    private static JsonNode wrap(JsonNode node, DeserializationContext context) {
        ObjectNode wrapper = context.getNodeFactory().objectNode();
        wrapper.set(PROPERTIES, node);
        return wrapper;
    }
}
