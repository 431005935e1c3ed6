package io.rxon.orchestrator.job;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/** The steps of a workflow job as the client API shows them; implemented by the workflow package, above this one. */
public interface JobSteps {

    /** Each step in the order they started: key, task, kind, status, attempts, worker, child job and timing. */
    Uni<List<Map<String, Object>>> of(String jobId);
}
