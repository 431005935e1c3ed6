package io.rxon.orchestrator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.MessageVerifier;
import io.rxon.common.security.ZeroTrustGate;
import io.rxon.orchestrator.contract.Contracts;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.job.JobLifecycle;
import io.rxon.orchestrator.job.JobTracing;
import io.rxon.orchestrator.job.WorkerEvents;
import io.rxon.orchestrator.job.ResultOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a worker's results and events in, the same way over HTTP and over the socket: zero-trust
 * gate over the raw JSON, decode, sender check, apply; the outcome goes back to the edge, which
 * only puts it on its wire. A successful result whose data breaks the output schema the worker
 * declared for the skill is turned into a {@code CONTRACT_VIOLATION_ERROR} failure, as the reference
 * does (PROTOCOL.md §7, "Contract check").
 *
 * <p>A result whose content PostgreSQL cannot store (U+0000, an unpaired surrogate, an infinite
 * number) can never be written, and a worker retries a failed write forever. So it still ends its
 * task: the task fails with {@code CONTRACT_VIOLATION_ERROR} naming the field (which quarantines the
 * job, as for any contract violation), and the worker is refused with a 400 it does not retry.
 */
@ApplicationScoped
public class WorkerInbox {

    private final ZeroTrustGate gate;
    private final JobLifecycle lifecycle;
    private final WorkerEvents events;
    private final Contracts contracts;
    private final JobTracing tracing;

    public WorkerInbox(ZeroTrustGate gate, JobLifecycle lifecycle, WorkerEvents events, Contracts contracts,
            JobTracing tracing) {
        this.contracts = contracts;
        this.tracing = tracing;
        this.gate = gate;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    /** Thrown after an unstorable result has failed its task: the worker must not send it again. */
    public static final class UnstorableResultException extends InvalidRequestException {
        private static final long serialVersionUID = 1L;

        UnstorableResultException(String message) {
            super(message);
        }
    }

    /** A worker event (progress or custom); its {@code bubbling_chain} is outside the signature. */
    public Uni<Map<String, Object>> event(String workerId, JsonNode raw, MessageVerifier verifier) {
        gate.check(raw, workerId, verifier, WorkerEventPayload.UNSIGNED_FIELDS);
        WorkerEventPayload event = WorkerMessages.event(raw);
        return tracing.event(event, events.accept(workerId, event));
    }

    public Uni<ResultOutcome> result(String workerId, JsonNode raw, MessageVerifier verifier) {
        gate.check(raw, workerId, verifier, List.of());
        TaskResult result = WorkerMessages.result(raw);
        if (result.workerId() != null && !result.workerId().equals(workerId)) {
            throw new ForbiddenActionException("Worker '" + workerId + "' cannot submit results for another worker ('"
                    + result.workerId() + "')");
        }
        Optional<String> unstorable = StorableJson.problem(raw, "");
        if (unstorable.isPresent()) {
            return failUnstorable(workerId, result, unstorable.get());
        }
        return contracts.resultViolation(workerId, result).chain(violation -> violation.isEmpty()
                ? apply(workerId, result)
                : apply(workerId, contractViolation(workerId, result, violation.get())));
    }

    private static TaskResult contractViolation(String workerId, TaskResult result, String violation) {
        Log.infof("worker %s sent a result for task %s that breaks its output schema; failing the task: %s",
                workerId, result.taskId(), violation);
        return contractFailure(workerId, result, violation);
    }

    /** The failure a result is turned into when the orchestrator refuses its content (PROTOCOL.md §7). */
    private static TaskResult contractFailure(String workerId, TaskResult result, String message) {
        return new TaskResult(result.jobId(), result.taskId(), workerId, null, ResultStatus.FAILURE.wire(), null,
                new TaskError(ErrorCode.CONTRACT_VIOLATION_ERROR, message), null, null, null, result.timestamp(),
                null);
    }

    private Uni<ResultOutcome> apply(String workerId, TaskResult result) {
        return tracing.result(result, lifecycle.applyResult(workerId, result));
    }

    private Uni<ResultOutcome> failUnstorable(String workerId, TaskResult result, String problem) {
        Log.warnf("worker %s sent a result for task %s that cannot be stored (%s); failing the task", workerId,
                result.taskId(), problem);
        TaskResult failure = contractFailure(workerId, result, "the worker's result could not be stored: " + problem);
        return apply(workerId, failure).map(outcome -> {
            throw new UnstorableResultException("result refused: " + problem + (outcome.isAccepted()
                    ? "; the task was failed with CONTRACT_VIOLATION_ERROR, do not send it again"
                    : "; the task no longer takes results (" + outcome.response().reason() + ")"));
        });
    }
}
