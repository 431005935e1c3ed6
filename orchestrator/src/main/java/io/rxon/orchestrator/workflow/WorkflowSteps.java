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

    private static final String QUERY = """
            select s, j.attempts, j.assignedWorkerId, j.status from WorkflowStepEntity s
            left join JobEntity j on j.id = s.childJobId
            where s.jobId = ?1 order by s.startedAt, s.stepKey""";

    @Override
    public Uni<List<Map<String, Object>>> of(String jobId) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createSelectionQuery(QUERY, Object[].class).setParameter(1, jobId).getResultList()))
                .map(rows -> rows.stream().map(WorkflowSteps::view).toList());
    }

    private static Map<String, Object> view(Object[] row) {
        WorkflowStepEntity step = (WorkflowStepEntity) row[0];
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("step", step.stepKey);
        view.put("task", step.task);
        view.put("kind", step.kind);
        view.put("status", step.status);
        view.put("attempts", row[1] == null ? step.attempts : row[1]);
        putIfSet(view, "worker_id", row[2] == null ? step.workerId : row[2]);
        putIfSet(view, "child_job_id", step.childJobId);
        putIfSet(view, "child_status", row[3] == null ? null : ((JobStatus) row[3]).wire());
        putIfSet(view, "signal", step.signal);
        putIfSet(view, "due_at", step.dueAt);
        view.put("started_at", step.startedAt);
        putIfSet(view, "finished_at", step.finishedAt);
        putIfSet(view, "error", step.error == null ? null : Expressions.MAPPER.convertValue(step.error, Map.class));
        return view;
    }

    private static void putIfSet(Map<String, Object> view, String key, Object value) {
        if (value != null) {
            view.put(key, value);
        }
    }
}
