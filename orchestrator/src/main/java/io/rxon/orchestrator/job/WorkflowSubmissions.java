package io.rxon.orchestrator.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Starts a workflow job from a {@code POST /api/v1/jobs} body of the shape
 * {@code {"workflow", "version", "input"}}; implemented by the workflow package, which sits above this one.
 */
public interface WorkflowSubmissions {

    /** Returns the new workflow job's id once it is stored. */
    Uni<String> submit(ClientIdentity client, JsonNode body);
}
