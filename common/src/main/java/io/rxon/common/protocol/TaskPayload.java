package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit of work sent to a worker. {@code type} names the skill. Keys the reference orchestrator
 * adds outside the model ({@code skill_version}, {@code skill_type}, {@code origin_worker_id}) are
 * kept in {@link #extra()} and written back unchanged.
 */
@WireMessage
public record TaskPayload(
        String jobId,
        String taskId,
        String type,
        Map<String, Object> params,
        Map<String, String> tracingContext,
        Map<String, FileMetadata> paramsMetadata,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double priority,
        Long deadline,
        SecurityContext security,
        Map<String, Object> metadata,
        Long timestamp,
        Map<String, Object> policy,
        String sig,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int step,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int depth,
        String parentHash,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Fields left out of an orchestrator task signature ({@code sig}) besides {@code security}. */
    public static final List<String> UNSIGNED_FIELDS = List.of("sig", "orchestrator_signature");

    public TaskPayload {
        Wire.required(jobId, "job_id");
        Wire.required(taskId, "task_id");
        Wire.required(type, "type");
        params = Wire.map(params);
        tracingContext = Wire.map(tracingContext);
        paramsMetadata = Wire.map(paramsMetadata);
        metadata = Wire.map(metadata);
        policy = Wire.map(policy);
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public static TaskPayload of(String jobId, String taskId, String type, Map<String, Object> params) {
        return new TaskPayload(jobId, taskId, type, params, null, null, 0.0, null, null, null, null, null, null, 0, 0,
                null, null);
    }

    /** The original executor to credit when this task was relayed; {@code fallback} otherwise. */
    public String originWorkerIdOr(String fallback) {
        return extra.get("origin_worker_id") instanceof String origin ? origin : fallback;
    }

    /** This task with another {@code tracing_context} and {@code metadata} (the orchestrator moves one out of the other). */
    public TaskPayload withTracing(Map<String, String> newTracingContext, Map<String, Object> newMetadata) {
        return new TaskPayload(jobId, taskId, type, params, newTracingContext, paramsMetadata, priority, deadline,
                security, newMetadata, timestamp, policy, sig, step, depth, parentHash, extra);
    }

    public TaskPayload withParams(Map<String, Object> newParams) {
        return new TaskPayload(jobId, taskId, type, newParams, tracingContext, paramsMetadata, priority, deadline,
                security, metadata, timestamp, policy, sig, step, depth, parentHash, extra);
    }
}
