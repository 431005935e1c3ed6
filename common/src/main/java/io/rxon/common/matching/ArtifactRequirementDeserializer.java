package io.rxon.common.matching;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.rxon.common.protocol.InstalledArtifact;
import java.io.IOException;

/** Reads one required artifact: a bare name means any version, an object is a full artifact. */
final class ArtifactRequirementDeserializer extends StdDeserializer<InstalledArtifact> {

    ArtifactRequirementDeserializer() {
        super(InstalledArtifact.class);
    }

    @Override
    public InstalledArtifact deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        if (node.isTextual()) {
            return new InstalledArtifact(node.textValue(), null, null, null);
        }
        return context.readTreeAsValue(node, InstalledArtifact.class);
    }
}
