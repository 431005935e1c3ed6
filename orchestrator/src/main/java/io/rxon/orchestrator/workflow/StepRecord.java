package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/** What the replay knows of one external step: started, and how it ended if it has. */
record StepRecord(String key, String status, JsonNode output, JsonNode error, long finishedAt) {

    static final String RUNNING = "running";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";
}
