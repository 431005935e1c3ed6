package io.rxon.orchestrator.job;

import io.rxon.orchestrator.contract.TaskTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** A task's type read by id, for the output contract check of its result. */
@ApplicationScoped
public class StoredTaskTypes implements TaskTypes {

    private static final String TASK_TYPE = "SELECT type FROM tasks WHERE id = $1 AND job_id = $2";

    private final Pool pool;

    public StoredTaskTypes(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<String>> typeOf(String jobId, String taskId) {
        return pool.preparedQuery(TASK_TYPE).execute(Tuple.of(taskId, jobId))
                .map(rows -> rows.iterator().hasNext() ? Optional.ofNullable(rows.iterator().next().getString(0))
                        : Optional.empty());
    }
}
