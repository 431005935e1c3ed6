package io.rxon.orchestrator.contract;

import io.rxon.common.contract.SchemaValidator;
import io.rxon.common.contract.SkillContract;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskResult;
import io.rxon.orchestrator.error.InvalidParamsException;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skill contracts the orchestrator checks (PROTOCOL.md §6, §7), from the schemas the registered
 * workers declared: job {@code params} at submit against the skill's {@code input_schema}, and a
 * successful result's {@code data} against the {@code output_schema} of the worker that ran it.
 *
 * <p>Several workers may declare different input schemas for one skill. Params are accepted when
 * they match at least one of them, as in the reference, where a task goes to any worker whose
 * schema its params match; they are refused only when no declared schema accepts them. A skill no
 * worker declares a schema for is not checked, and costs one map lookup.
 */
@ApplicationScoped
public class Contracts {

    private final WorkerRegistry workers;
    private final TaskTypes tasks;
    private final DeclaredContracts declared;

    public Contracts(WorkerRegistry workers, TaskTypes tasks) {
        this.workers = workers;
        this.tasks = tasks;
        this.declared = new DeclaredContracts(workers);
    }

    /**
     * @param type the job's task type (the skill)
     * @param params the params as the client sent them (null counts as {@code {}}, as workers read it)
     * @throws InvalidParamsException listing the violations when no declared input schema accepts them
     */
    public void checkParams(String type, Map<String, Object> params) {
        List<DeclaredContracts.Declaration> inputs = declared.inputs(type);
        if (inputs.isEmpty()) {
            return;
        }
        Object value = params == null ? Map.of() : params;
        List<String> violations = new ArrayList<>();
        for (DeclaredContracts.Declaration input : inputs) {
            List<String> found = input.validator().validate(value);
            if (found.isEmpty()) {
                return;
            }
            String prefix = inputs.size() == 1 ? "" : "[schema of worker " + input.workerId() + "] ";
            found.forEach(violation -> violations.add(prefix + violation));
        }
        List<String> shown = violations.subList(0, Math.min(violations.size(), SchemaValidator.MAX_VIOLATIONS));
        throw new InvalidParamsException((inputs.size() == 1
                ? "params do not match the input schema of skill '" + type + "': "
                : "params match none of the " + inputs.size() + " input schemas declared for skill '" + type + "': ")
                + String.join("; ", shown), shown);
    }

    /**
     * @return why the data breaks the output schema that worker declared for the skill, if it does
     */
    public Optional<String> resultViolation(String workerId, String type, Map<String, Object> data) {
        SchemaValidator output = declared.of(workerId).getOrDefault(type, SkillContract.NONE).output();
        List<String> violations = output.validate(data == null ? Map.of() : data);
        return violations.isEmpty() ? Optional.empty()
                : Optional.of("result data does not match the output schema of skill '" + type + "' declared by worker "
                        + workerId + ": " + String.join("; ", violations));
    }

    /**
     * {@link #resultViolation} for a result as it arrives, which names its task but not the skill.
     * Data that matches every output schema the worker declared is valid whatever the skill, so the
     * task's type is read from the database only when some schema refuses it: a correct result of a
     * worker with schemas costs their checks and no query, one of a worker without schemas nothing.
     */
    public Uni<Optional<String>> resultViolation(String workerId, TaskResult result) {
        if (!ResultStatus.SUCCESS.is(result.status())) {
            return Uni.createFrom().item(Optional.empty());
        }
        Map<String, Object> data = result.data() == null ? Map.of() : result.data();
        Map<String, SkillContract> refusing = new HashMap<>();
        declared.of(workerId).forEach((skill, contract) -> {
            if (!contract.output().acceptsEverything() && !contract.output().isValid(data)) {
                refusing.put(skill, contract);
            }
        });
        if (refusing.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        // An unknown task is the result path's business (ignored there), not a contract question.
        return tasks.typeOf(result.jobId(), result.taskId()).map(type -> type.filter(refusing::containsKey)
                .flatMap(skill -> resultViolation(workerId, skill, data)));
    }
}
