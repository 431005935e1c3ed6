package io.rxon.common.matching;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.Wire;
import io.rxon.common.protocol.WireMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a job asks of the worker that runs its task, in the shape of the reference's
 * {@code resource_requirements}, so a job's {@code requirements} JSON parses with
 * {@code Json.convert(map, Requirements.class)}. Parsing already applies the reference's
 * leniencies: a flat {@code resources} map holding {@code cpu_cores} or {@code ram_gb} means host
 * properties, and an artifact given as a bare name means any version of it.
 *
 * @param resources devices and host properties the worker must have
 * @param installedArtifacts artifacts each of which some worker artifact must match
 * @param installedSoftware software name to exact version, or {@value WorkerEligibility#ANY_SOFTWARE_VERSION}
 * @param skillVersion the version the worker's skill must declare
 * @param skillType the type the worker's skill must declare
 * @param skill skill attributes or skill properties that must equal the given values
 * @param extraRequirements {@code capabilities.extra} entries that must equal the given values
 */
@WireMessage
public record Requirements(
        @JsonDeserialize(using = ResourcesRequirementDeserializer.class) Resources resources,
        @JsonDeserialize(contentUsing = ArtifactRequirementDeserializer.class)
                List<InstalledArtifact> installedArtifacts,
        Map<String, Object> installedSoftware,
        String skillVersion,
        String skillType,
        Map<String, Object> skill,
        Map<String, Object> extraRequirements) {

    /** No requirement at all: every worker with the skill is eligible. */
    public static final Requirements NONE = new Requirements(null, null, null, null, null, null, null);

    public Requirements {
        if (installedArtifacts != null && installedArtifacts.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("installed_artifacts must not contain null");
        }
        installedArtifacts = Wire.list(installedArtifacts);
        installedSoftware = Wire.map(installedSoftware);
        skill = Wire.map(skill);
        extraRequirements = Wire.map(extraRequirements);
    }
}
