package io.rxon.worker.skill;

import io.rxon.common.contract.SkillContract;
import io.rxon.common.json.CanonicalJson;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.SkillInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The skills this worker offers, checked once at start-up: every name is a protocol identifier,
 * equal to its descriptor's name, and unique, so a misconfigured worker fails to start instead of
 * registering a catalogue the orchestrator would reject or dispatch ambiguously. Also computes the
 * catalogue's {@code skills_hash} and compiles each skill's contract (its JSON Schemas) once. Immutable.
 */
public final class SkillRegistry {

    private final Map<String, Skill> skills;
    private final List<SkillInfo> catalogue;
    private final String skillsHash;
    private final Map<String, SkillContract> contracts;

    private SkillRegistry(Map<String, Skill> skills) {
        this.skills = Collections.unmodifiableMap(skills);
        List<SkillInfo> infos = new ArrayList<>();
        Map<String, SkillContract> compiled = new LinkedHashMap<>();
        skills.forEach((name, skill) -> {
            infos.add(skill.info());
            compiled.put(name, SkillContract.of(skill.info()));
        });
        this.contracts = Collections.unmodifiableMap(compiled);
        this.catalogue = List.copyOf(infos);
        this.skillsHash = CanonicalJson.sha256Hex(Map.of("skills", catalogue));
    }

    /**
     * @param candidates the skill beans found
     * @param excluded names to leave out (e.g. built-in skills a deployment does not want)
     * @throws IllegalStateException naming every invalid or duplicate skill
     */
    public static SkillRegistry of(Collection<? extends Skill> candidates, Set<String> excluded) {
        Map<String, Skill> byName = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Skill skill : candidates) {
            String name = skill.name();
            SkillInfo info = skill.info();
            if (!Identifiers.isValid(name)) {
                problems.add("skill name '" + name + "' of " + describe(skill)
                        + " is not an identifier (1-128 characters of [A-Za-z0-9_-])");
                continue;
            }
            if (info == null || !name.equals(info.name())) {
                problems.add(describe(skill) + " is named '" + name + "' but its SkillInfo says '"
                        + (info == null ? null : info.name()) + "'");
                continue;
            }
            if (info.type() != null && !Identifiers.isValid(info.type())) {
                problems.add("skill type '" + info.type() + "' of skill '" + name + "' is not an identifier");
                continue;
            }
            if (excluded.contains(name)) {
                continue;
            }
            Skill previous = byName.putIfAbsent(name, skill);
            if (previous != null) {
                problems.add("skill '" + name + "' is declared twice: by " + describe(previous) + " and by "
                        + describe(skill));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid skill catalogue: " + String.join("; ", problems));
        }
        return new SkillRegistry(new LinkedHashMap<>(byName));
    }

    public static SkillRegistry of(Skill... skills) {
        return of(List.of(skills), Set.of());
    }

    public Optional<Skill> find(String name) {
        return Optional.ofNullable(skills.get(Objects.requireNonNull(name, "name")));
    }

    /** The compiled schemas of a skill; {@link SkillContract#NONE} for an unknown one. */
    public SkillContract contract(String name) {
        return contracts.getOrDefault(name, SkillContract.NONE);
    }

    /** Skill names, sorted. */
    public List<String> names() {
        return List.copyOf(skills.keySet());
    }

    /** The descriptors advertised at registration, sorted by name. */
    public List<SkillInfo> catalogue() {
        return catalogue;
    }

    /** SHA-256 of the canonical JSON of {@code {"skills": catalogue}} (PROTOCOL.md §3). */
    public String skillsHash() {
        return skillsHash;
    }

    public int size() {
        return skills.size();
    }

    private static String describe(Skill skill) {
        String className = skill.getClass().getName();
        int proxy = className.indexOf("_ClientProxy");
        return proxy > 0 ? className.substring(0, proxy) : className;
    }
}
