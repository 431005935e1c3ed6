package io.rxon.orchestrator.uplink;

import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses the tasks a holarchy must not run (docs/HOLARCHY.md): one deeper than the limit, and one
 * whose identity chain already names this orchestrator (it went round a loop of parents). A refusal
 * is a {@code PERMANENT_ERROR}: running it again elsewhere in the same loop would fail the same way,
 * so the parent ends the job instead of spinning it.
 */
record HolarchyGuard(String nodeId, int maxDepth) {

    static final String REASON_DEPTH = "holarchy_depth_exceeded";
    static final String REASON_LOOP = "holarchy_loop";

    Optional<TaskError> refusal(TaskPayload task) {
        List<String> chain = chain(task);
        if (chain.contains(nodeId)) {
            return Optional.of(error(REASON_LOOP, "task " + task.taskId() + " came back to " + nodeId
                    + ", already on its path " + chain + ": the orchestrators' parents form a loop", task, chain));
        }
        if (task.depth() > maxDepth) {
            return Optional.of(error(REASON_DEPTH, "task " + task.taskId() + " is at depth " + task.depth()
                    + ", deeper than the limit of " + maxDepth + " (RXON_HOLARCHY_MAX_DEPTH)", task, chain));
        }
        return Optional.empty();
    }

    static List<String> chain(TaskPayload task) {
        return task.security() == null || task.security().identityChain() == null ? List.of()
                : task.security().identityChain();
    }

    private TaskError error(String reason, String message, TaskPayload task, List<String> chain) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("depth", task.depth());
        details.put("max_depth", maxDepth);
        details.put("identity_chain", chain);
        details.put("refused_by", nodeId);
        return new TaskError(ErrorCode.PERMANENT_ERROR.name(), message, details);
    }
}
