package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A model, library or data set present on the worker; version {@code unknown} in a requirement means any. */
@WireMessage
public record InstalledArtifact(
        String name,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitUnknown.class) String version,
        String type,
        Map<String, Object> properties) {

    public static final String ANY_VERSION = "unknown";

    public InstalledArtifact {
        Wire.required(name, "name");
        version = Wire.orDefault(version, ANY_VERSION);
        properties = Wire.map(properties);
    }
}
