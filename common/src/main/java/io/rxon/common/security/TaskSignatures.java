package io.rxon.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;

/**
 * The orchestrator's signature on a task ({@code sig}, PROTOCOL.md §5.1): computed over the task
 * as its model encodes it (defaults omitted, keys outside the model dropped, as the reference
 * canonicalises the decoded struct), without {@code security}, {@code sig} and
 * {@code orchestrator_signature}. A worker configured with the key refuses unsigned or forged tasks.
 */
public final class TaskSignatures {

    private TaskSignatures() {}

    public static TaskPayload sign(TaskPayload task, MessageSigner signer) {
        String sig = signer.sign(Signatures.signedBytes(modelOf(task), TaskPayload.UNSIGNED_FIELDS));
        return new TaskPayload(task.jobId(), task.taskId(), task.type(), task.params(), task.tracingContext(),
                task.paramsMetadata(), task.priority(), task.deadline(), task.security(), task.metadata(),
                task.timestamp(), task.policy(), sig, task.step(), task.depth(), task.parentHash(), task.extra());
    }

    public static boolean verify(TaskPayload task, MessageVerifier verifier) {
        return task.sig() != null
                && Signatures.verify(modelOf(task), task.sig(), verifier, TaskPayload.UNSIGNED_FIELDS);
    }

    /** The task's JSON without the keys the reference orchestrator adds outside the model. */
    private static JsonNode modelOf(TaskPayload task) {
        ObjectNode json = (ObjectNode) Json.tree(task);
        task.extra().keySet().forEach(json::remove);
        return json;
    }
}
