package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import java.util.List;

/**
 * Locks a job's row the way every transaction that may end it must: the workflow jobs above it
 * first, outermost first, then the job. A step job's end advances its workflow (which locks the
 * workflow job), and a workflow's cancel or advance stops its steps (which locks their jobs): with
 * one order for both, a result that arrives while its workflow is cancelled waits instead of
 * deadlocking. A job without a parent costs one indexed look-up more, on the locked path only.
 */
public final class JobLocks {

    /** The ancestors of a job, outermost first (a workflow nests at most 10 levels; 20 bounds a corrupt chain). */
    private static final String ANCESTORS = """
            WITH RECURSIVE up(id, parent_job_id, depth) AS (
                SELECT id, parent_job_id, 0 FROM jobs WHERE id = :id
                UNION ALL
                SELECT j.id, j.parent_job_id, up.depth + 1 FROM jobs j JOIN up ON j.id = up.parent_job_id
                WHERE up.depth < 20)
            SELECT id FROM up WHERE depth > 0 ORDER BY depth DESC""";

    private JobLocks() {}

    /** The job, locked after its ancestors; null when it does not exist. */
    public static Uni<JobEntity> lock(String jobId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ANCESTORS, String.class)
                        .setParameter("id", jobId).getResultList())
                .chain(ancestors -> lockAll(ancestors, 0))
                .chain(() -> JobEntity.<JobEntity>findById(jobId, LockModeType.PESSIMISTIC_WRITE));
    }

    private static Uni<Void> lockAll(List<String> ids, int from) {
        if (from >= ids.size()) {
            return Uni.createFrom().voidItem();
        }
        return JobEntity.<JobEntity>findById(ids.get(from), LockModeType.PESSIMISTIC_WRITE)
                .chain(() -> lockAll(ids, from + 1));
    }
}
