package io.rxon.orchestrator.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rxon.orchestrator.job.JobSteps;
import io.rxon.orchestrator.job.JobStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A workflow job's steps for {@code GET /api/v1/jobs/{id}}, with the live attempts and worker of their jobs. */
@ApplicationScoped
class WorkflowSteps implements JobSteps {

    // Plain values, not entities: a job view of a 100-branch fan-out would otherwise snapshot 100 entities.
    private static final String QUERY = """
            select s.stepKey, s.task, s.kind, s.status, s.attempts, s.workerId, s.childJobId, s.signal, s.dueAt,
                   s.startedAt, s.finishedAt, s.error, j.attempts, j.assignedWorkerId, j.status
            from WorkflowStepEntity s left join JobEntity j on j.id = s.childJobId
            where s.jobId = ?1 order by s.startedAt, s.stepKey""";

    @Override
    public Uni<List<Map<String, Object>>> of(String jobId) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createSelectionQuery(QUERY, Object[].class).setParameter(1, jobId).getResultList()))
                .map(rows -> rows.stream().map(WorkflowSteps::view).toList());
    }

    private static Map<String, Object> view(Object[] row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("step", row[0]);
        view.put("task", row[1]);
        view.put("kind", row[2]);
        view.put("status", row[3]);
        view.put("attempts", row[12] == null ? row[4] : row[12]);
        putIfSet(view, "worker_id", row[13] == null ? row[5] : row[13]);
        putIfSet(view, "child_job_id", row[6]);
        putIfSet(view, "child_status", row[14] == null ? null : ((JobStatus) row[14]).wire());
        putIfSet(view, "signal", row[7]);
        putIfSet(view, "due_at", row[8]);
        view.put("started_at", row[9]);
        putIfSet(view, "finished_at", row[10]);
        putIfSet(view, "error", row[11] == null ? null : Expressions.MAPPER.convertValue(row[11], Map.class));
        return view;
    }

    private static void putIfSet(Map<String, Object> view, String key, Object value) {
        if (value != null) {
            view.put(key, value);
        }
    }
}
