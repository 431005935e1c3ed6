package io.rxon.orchestrator.contract;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** The task type (skill) of a job's task, as stored (implemented by the job lifecycle, which owns tasks). */
public interface TaskTypes {

    Uni<Optional<String>> typeOf(String jobId, String taskId);
}
