package io.rxon.common.matching;

import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The reference's {@code available.matches(requirement)} for devices, resources, artifacts and
 * skills (PROTOCOL.md §6), rule for rule, so that a task a Python orchestrator would hand to a
 * worker is the task ours hands to it. Every method takes what the worker has first and what the
 * job asks for second.
 */
public final class ResourceMatcher {

    private static final Resources NOTHING = new Resources(null, null);

    private ResourceMatcher() {}

    /**
     * Whether a device satisfies a device requirement: exact type, case-insensitive model
     * substring, exact id (each only when required and non-empty), then the property rule. A null
     * requirement matches any device; a null device matches nothing.
     */
    public static boolean matches(HardwareDevice available, HardwareDevice required) {
        if (required == null) {
            return available != null;
        }
        return available != null
                && (isEmpty(required.type()) || required.type().equals(available.type()))
                && (isEmpty(required.model()) || containsIgnoringCase(available.model(), required.model()))
                && (isEmpty(required.id()) || required.id().equals(available.id()))
                && PropertyRule.matches(available.properties(), required.properties());
    }

    /**
     * Whether a worker's resources satisfy a requirement: each required device consumes the first
     * still unused matching device, in requirement order and without backtracking, then host
     * properties by the property rule. Null and empty are the same on both sides.
     */
    public static boolean matches(Resources available, Resources required) {
        if (required == null) {
            return true;
        }
        Resources offered = available == null ? NOTHING : available;
        return devicesMatch(orEmpty(offered.devices()), orEmpty(required.devices()))
                && PropertyRule.matches(offered.properties(), required.properties());
    }

    /**
     * Whether an installed artifact satisfies a required one: same name, same version unless the
     * requirement says {@value InstalledArtifact#ANY_VERSION}, then the property rule.
     */
    public static boolean matches(InstalledArtifact available, InstalledArtifact required) {
        return available.name().equals(required.name())
                && (InstalledArtifact.ANY_VERSION.equals(required.version())
                        || required.version().equals(available.version()))
                && PropertyRule.matches(available.properties(), required.properties());
    }

    /**
     * Whether a skill satisfies a required one: same name; type and version only when the
     * requirement sets them (an empty string is a value that must match).
     */
    public static boolean matches(SkillInfo available, SkillInfo required) {
        return available.name().equals(required.name())
                && (required.type() == null || required.type().equals(available.type()))
                && (required.version() == null || required.version().equals(available.version()));
    }

    private static boolean devicesMatch(List<HardwareDevice> available, List<HardwareDevice> required) {
        boolean[] used = new boolean[available.size()];
        for (HardwareDevice wanted : required) {
            int index = firstUnusedMatch(available, used, wanted);
            if (index < 0) {
                return false;
            }
            used[index] = true;
        }
        return true;
    }

    private static int firstUnusedMatch(List<HardwareDevice> available, boolean[] used, HardwareDevice wanted) {
        for (int index = 0; index < available.size(); index++) {
            if (!used[index] && matches(available.get(index), wanted)) {
                return index;
            }
        }
        return -1;
    }

    private static boolean containsIgnoringCase(String text, String part) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return Objects.requireNonNullElse(list, List.of());
    }
}
