package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.Signatures;
import java.time.Instant;
import java.util.List;

/**
 * Valid worker messages to mutate, and their signing: a message is mutated first and signed
 * after, as a real worker would sign whatever it sends, so that the fuzzed content passes the
 * zero-trust gate and reaches validation and storage. Content canonical JSON cannot represent (a
 * lone surrogate, nesting over 100 levels, an integer beyond 64 bits) gets a signature of zeros.
 */
public final class WorkerMessages {

    /** A task this test's worker claimed by polling. */
    public record Task(String workerId, String jobId, String taskId) {}

    /** Fields a mutation leaves alone by default, so that the message stays authentic and addressed. */
    public static final List<String> ENVELOPE = List.of("timestamp", "security", "worker_id");

    public static final String SKILL = "fuzz_skill";

    private final HmacSigner signer;

    public WorkerMessages(String workerToken) {
        this.signer = new HmacSigner(workerToken);
    }

    /** Signs {@code message} in place (timestamp kept when present); false when it cannot be signed. */
    public boolean sign(ObjectNode message, String signerId, List<String> ignoredFields) {
        message.remove("security");
        if (!message.has("timestamp")) {
            message.put("timestamp", now());
        }
        String signature;
        boolean signed = true;
        try {
            signature = Signatures.sign(message, signer, ignoredFields);
        } catch (IllegalArgumentException e) {
            signature = "0".repeat(64);
            signed = false;
        }
        message.putObject("security").put("signature", signature).put("signer_id", signerId);
        return signed;
    }

    public static long now() {
        return Instant.now().getEpochSecond();
    }

    public static ObjectNode registration(String workerId) {
        ObjectNode message = Poison.object().put("worker_id", workerId).put("worker_type", "fuzz");
        message.putArray("supported_skills").addObject().put("name", SKILL).put("version", "1.0")
                .putObject("input_schema").put("type", "object");
        message.putArray("available_skills").add(SKILL);
        ObjectNode resources = message.putObject("resources");
        resources.putArray("devices").addObject().put("type", "gpu").put("model", "fuzz gpu").put("id", "0")
                .putObject("properties").put("vram_gb", 16);
        resources.putObject("properties").put("cpu_cores", 4);
        message.putObject("installed_software").put("python", "3.11");
        message.putArray("hot_skills").add(SKILL);
        message.putArray("installed_artifacts").addObject().put("name", "model-a").put("version", "1")
                .put("type", "model").putObject("properties").put("quantization", "int8");
        message.put("skills_hash", "0".repeat(64));
        ObjectNode capabilities = message.putObject("capabilities").put("hostname", "fuzz-host")
                .put("ip_address", "10.0.0.7").put("s3_config_hash", "abc");
        capabilities.putObject("cost_per_skill").put(SKILL, 0.25);
        capabilities.putObject("extra").put("note", "x");
        message.putObject("metadata").put("zone", "a");
        message.put("timestamp", now());
        return message;
    }

    public static ObjectNode heartbeat(String workerId, List<String> currentTasks) {
        ObjectNode message = Poison.object().put("worker_id", workerId).put("status", "idle");
        ObjectNode usage = message.putObject("usage").put("cpu_load_percent", 12.5).put("ram_used_gb", 1.5);
        usage.putArray("devices_usage").addObject().put("unit_id", "0").put("load_percent", 50.0)
                .putObject("metrics").put("temperature", 61);
        currentTasks.forEach(message.putArray("current_tasks")::add);
        message.putArray("available_skills").add(SKILL);
        message.putArray("hot_skills").add(SKILL);
        message.putObject("metadata").put("m", "v");
        message.put("timestamp", now());
        return message;
    }

    public static ObjectNode result(Task task, boolean success) {
        ObjectNode message = Poison.object().put("job_id", task.jobId()).put("task_id", task.taskId())
                .put("worker_id", task.workerId()).put("origin_worker_id", task.workerId());
        if (success) {
            message.putObject("data").put("out", "ok").put("n", 1).putObject("nested").put("s", "v");
        } else {
            message.put("status", "failure");
            message.putObject("error").put("code", "TRANSIENT_ERROR").put("message", "it broke")
                    .putObject("details").put("why", "fuzz");
        }
        message.putObject("metadata").put("m", "v");
        message.putObject("costs").put("tokens", 10).put("usd", 0.02);
        message.put("timestamp", now());
        return message;
    }

    /** A result whose data refers to a blob (integrity metadata to check): only for mutation. */
    public static ObjectNode resultWithBlob(Task task) {
        ObjectNode message = result(task, true);
        ((ObjectNode) message.get("data")).put("file", "s3://rxon/jobs/" + task.jobId() + "/out.bin");
        message.putObject("data_metadata").putObject("file").put("uri", "s3://rxon/jobs/" + task.jobId() + "/out.bin")
                .put("size", 3).put("etag", "e").putObject("metadata").put("k", "v");
        return message;
    }

    public static ObjectNode event(String eventId, String workerId, String jobId, String taskId) {
        ObjectNode message = Poison.object().put("event_id", eventId)
                .put("worker_id", workerId).put("origin_worker_id", workerId).put("event_type", "progress")
                .put("origin_task_id", taskId).put("target_job_id", jobId).put("target_task_id", taskId);
        message.putObject("payload").put("progress", 0.5).put("message", "half way");
        message.putArray("bubbling_chain").add("relay-1");
        message.putObject("metadata").put("m", "v");
        message.putObject("trace_context").put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        message.put("priority", 1.0);
        message.put("timestamp", now());
        return message;
    }
}
