package io.rxon.orchestrator.contract;

import io.rxon.common.contract.SchemaValidator;
import io.rxon.common.contract.SkillContract;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The compiled contracts of the registered workers, derived from the {@link WorkerRegistry}: per
 * worker, compiled when its registration object changes (never per request); per skill, the
 * distinct input schemas declared, rebuilt after a registration and read lock-free in between.
 */
final class DeclaredContracts {

    /** A distinct input schema of a skill and one worker that declared it (to name it in messages). */
    record Declaration(String workerId, SchemaValidator validator) {}

    /** One worker's contracts, valid while the registry holds the same registration object. */
    private record Compiled(WorkerRegistration registration, Map<String, SkillContract> skills) {}

    /** The input schemas per skill as of a count of registrations. */
    private record Inputs(long registrations, Map<String, List<Declaration>> bySkill) {}

    private final WorkerRegistry workers;
    private final ConcurrentMap<String, Compiled> byWorker = new ConcurrentHashMap<>();
    private volatile Inputs inputs = new Inputs(-1, Map.of());

    DeclaredContracts(WorkerRegistry workers) {
        this.workers = workers;
    }

    /** The distinct input schemas registered workers declared for a skill; empty when none did. */
    List<Declaration> inputs(String skill) {
        Inputs current = inputs;
        long registrations = workers.registrations();
        if (current.registrations() != registrations) {
            current = rebuild(registrations);
        }
        return current.bySkill().getOrDefault(skill, List.of());
    }

    /** The contracts of one worker's skills by name; empty for an unknown worker. */
    Map<String, SkillContract> of(String workerId) {
        return workers.find(workerId).map(this::compiled).map(Compiled::skills).orElse(Map.of());
    }

    private Inputs rebuild(long registrations) {
        Map<String, Map<SchemaValidator, Declaration>> distinct = new HashMap<>();
        for (WorkerState worker : workers.all()) {
            compiled(worker).skills().forEach((skill, contract) -> {
                if (!contract.input().acceptsEverything()) {
                    // Equal schemas share one compiled validator (SkillContract caches them), so identity dedupes.
                    distinct.computeIfAbsent(skill, s -> new IdentityHashMap<>())
                            .putIfAbsent(contract.input(), new Declaration(worker.workerId(), contract.input()));
                }
            });
        }
        Map<String, List<Declaration>> bySkill = new HashMap<>();
        distinct.forEach((skill, declarations) -> bySkill.put(skill, List.copyOf(new ArrayList<>(declarations.values()))));
        Inputs rebuilt = new Inputs(registrations, Map.copyOf(bySkill));
        inputs = rebuilt;
        return rebuilt;
    }

    private Compiled compiled(WorkerState worker) {
        WorkerRegistration registration = worker.registration();
        Compiled known = byWorker.get(worker.workerId());
        if (known != null && known.registration() == registration) {
            return known;
        }
        Map<String, SkillContract> skills = new HashMap<>();
        List<SkillInfo> declared = Optional.ofNullable(registration.supportedSkills()).orElse(List.of());
        declared.stream().filter(Objects::nonNull).forEach(skill -> {
            SkillContract contract = SkillContract.of(skill);
            if (!contract.isEmpty()) {
                skills.put(skill.name(), contract);
            }
        });
        Compiled compiled = new Compiled(registration, Map.copyOf(skills));
        byWorker.put(worker.workerId(), compiled);
        return compiled;
    }
}
