package io.rxon.common.matching;

import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The dispatcher-compliance rules of PROTOCOL.md §6 that depend only on what a worker registered,
 * the task type and the job's requirements, as a pure function: the orchestrator's dispatcher,
 * its work stealing and its tests all ask the same question and get the same first reason.
 * Checks run in the reference's order (status, resources, artifacts, software, skill, extras).
 * Validating {@code params} against the skill's input schema and custom output statuses are not
 * part of it: they need a schema validator and the blueprint, which live in the orchestrator.
 */
public final class WorkerEligibility {

    /** A required software version meaning "installed, any version". */
    public static final String ANY_SOFTWARE_VERSION = "any";

    private WorkerEligibility() {}

    /** Judges a worker whose status is not known (or not the caller's concern). */
    public static Eligibility evaluate(WorkerRegistration worker, String taskType, Requirements requirements) {
        return evaluate(worker, null, taskType, requirements);
    }

    /**
     * Judges a worker for a task.
     *
     * @param worker what the worker registered
     * @param status the worker's last reported status, or null when unknown
     * @param taskType the task type, which must equal the name of one of the worker's skills
     * @param requirements the job's requirements, or null for none
     * @return {@link Eligibility#ELIGIBLE} or the first broken rule
     */
    public static Eligibility evaluate(
            WorkerRegistration worker, String status, String taskType, Requirements requirements) {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(taskType, "taskType");
        Requirements wanted = requirements == null ? Requirements.NONE : requirements;
        Eligibility verdict = checkStatus(status);
        if (verdict.isEligible()) {
            verdict = checkResources(worker.resources(), wanted.resources());
        }
        if (verdict.isEligible()) {
            verdict = checkArtifacts(worker.installedArtifacts(), wanted.installedArtifacts());
        }
        if (verdict.isEligible()) {
            verdict = checkSoftware(worker.installedSoftware(), wanted.installedSoftware());
        }
        if (verdict.isEligible()) {
            verdict = checkSkill(worker.supportedSkills(), taskType, wanted);
        }
        if (verdict.isEligible()) {
            verdict = checkExtras(worker.capabilities(), wanted.extraRequirements());
        }
        return verdict;
    }

    private static Eligibility checkStatus(String status) {
        return WorkerStatus.DRAINING.is(status)
                ? Eligibility.rejected(Rejection.WORKER_DRAINING)
                : Eligibility.ELIGIBLE;
    }

    private static Eligibility checkResources(Resources offered, Resources required) {
        if (isUnset(required)) {
            return Eligibility.ELIGIBLE;
        }
        if (isUnset(offered)) {
            return Eligibility.rejected(Rejection.MISSING_WORKER_RESOURCES);
        }
        return ResourceMatcher.matches(offered, required)
                ? Eligibility.ELIGIBLE
                : Eligibility.rejected(Rejection.RESOURCE_MISMATCH);
    }

    /** Like the reference's falsy {@code {}}: resources with neither devices nor properties. */
    private static boolean isUnset(Resources resources) {
        return resources == null || (resources.devices() == null && resources.properties() == null);
    }

    private static Eligibility checkArtifacts(List<InstalledArtifact> offered, List<InstalledArtifact> required) {
        if (required == null || required.isEmpty()) {
            return Eligibility.ELIGIBLE;
        }
        for (InstalledArtifact wanted : required) {
            if (!isInstalled(offered, wanted)) {
                return Eligibility.rejected(Rejection.ARTIFACT_MISMATCH, wanted.name());
            }
        }
        return Eligibility.ELIGIBLE;
    }

    private static boolean isInstalled(List<InstalledArtifact> offered, InstalledArtifact wanted) {
        if (offered != null) {
            for (InstalledArtifact artifact : offered) {
                if (ResourceMatcher.matches(artifact, wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Eligibility checkSoftware(Map<String, String> offered, Map<String, Object> required) {
        if (required == null || required.isEmpty()) {
            return Eligibility.ELIGIBLE;
        }
        Map<String, String> installed = Objects.requireNonNullElse(offered, Map.of());
        return firstMismatch(required, Rejection.SOFTWARE_MISMATCH, (name, version) -> installed.containsKey(name)
                && (ANY_SOFTWARE_VERSION.equals(version) || PythonValues.pythonEquals(installed.get(name), version)));
    }

    private static Eligibility checkSkill(List<SkillInfo> skills, String taskType, Requirements wanted) {
        SkillInfo skill = find(skills, taskType);
        if (skill == null) {
            return Eligibility.rejected(Rejection.SKILL_NOT_FOUND, taskType);
        }
        String violation = contractViolation(skill, wanted);
        if (violation != null) {
            return Eligibility.rejected(Rejection.SKILL_MISMATCH, violation);
        }
        if (wanted.skill() == null || wanted.skill().isEmpty()) {
            return Eligibility.ELIGIBLE;
        }
        return firstMismatch(wanted.skill(), Rejection.SKILL_MISMATCH,
                (field, value) -> PythonValues.pythonEquals(SkillFields.valueOf(skill, field), value));
    }

    private static SkillInfo find(List<SkillInfo> skills, String taskType) {
        if (skills != null) {
            for (SkillInfo skill : skills) {
                if (skill != null && skill.name().equals(taskType)) {
                    return skill;
                }
            }
        }
        return null;
    }

    /**
     * The requirement field ({@code skill_type} or {@code skill_version}) the skill fails, or null:
     * {@link ResourceMatcher#matches(SkillInfo, SkillInfo)} against a required skill of the same
     * name, without building that skill on every call.
     */
    private static String contractViolation(SkillInfo skill, Requirements wanted) {
        if (wanted.skillType() != null && !wanted.skillType().equals(skill.type())) {
            return "skill_type";
        }
        if (wanted.skillVersion() != null && !wanted.skillVersion().equals(skill.version())) {
            return "skill_version";
        }
        return null;
    }

    private static Eligibility checkExtras(WorkerCapabilities capabilities, Map<String, Object> required) {
        if (required == null || required.isEmpty()) {
            return Eligibility.ELIGIBLE;
        }
        Map<String, Object> extra = capabilities == null || capabilities.extra() == null
                ? Map.of()
                : capabilities.extra();
        return firstMismatch(required, Rejection.EXTRA_MISMATCH,
                (key, value) -> PythonValues.pythonEquals(extra.get(key), value));
    }

    /** The first required entry the predicate rejects, named in the verdict; eligible when none. */
    private static <V> Eligibility firstMismatch(
            Map<String, V> required, Rejection rejection, BiPredicate<String, V> satisfied) {
        if (required == null || required.isEmpty()) {
            return Eligibility.ELIGIBLE;
        }
        for (Map.Entry<String, V> entry : required.entrySet()) {
            if (!satisfied.test(entry.getKey(), entry.getValue())) {
                return Eligibility.rejected(rejection, entry.getKey());
            }
        }
        return Eligibility.ELIGIBLE;
    }
}
