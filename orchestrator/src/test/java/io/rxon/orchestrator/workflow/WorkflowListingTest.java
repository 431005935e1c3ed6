package io.rxon.orchestrator.workflow;

import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.workflow.Workflows.asClient;
import static io.rxon.orchestrator.workflow.Workflows.definition;
import static io.rxon.orchestrator.workflow.Workflows.ended;
import static io.rxon.orchestrator.workflow.Workflows.register;
import static io.rxon.orchestrator.workflow.Workflows.start;
import static io.rxon.orchestrator.workflow.Workflows.steps;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskResult;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The client's job list shows the jobs it submitted; the jobs of workflow steps only when asked for. */
@QuarkusTest
class WorkflowListingTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void shouldListStepJobsOnlyWhenAskedWhileTheWorkflowJobShowsItsSteps() {
        // given a finished two-step workflow
        String skill = uniqueSkill("listed");
        String name = "listing-" + UUID.randomUUID().toString().substring(0, 8);
        register(definition(name, """
                do:
                  - one:
                      call: rxon
                      with: {skill: %1$s}
                  - two:
                      call: rxon
                      with: {skill: %1$s}
                """.formatted(skill))).statusCode(201);
        Map<String, Object> job;
        try (SkillWorker worker = SkillWorker.start(root, (task, id) -> TaskResult.success(task, id, Map.of(),
                SkillWorker.now()), skill)) {
            job = ended(start(name, Map.of()), Duration.ofSeconds(30));
        }
        String jobId = (String) job.get("job_id");
        List<String> stepJobs = steps(job).stream().map(step -> (String) step.get("child_job_id")).toList();
        assertThat(stepJobs).hasSize(2);

        // when the client lists its jobs, then the workflow job is there and its step jobs are not
        List<Map<String, Object>> listed = list("limit=500");
        assertThat(listed).extracting(listedJob -> listedJob.get("job_id")).contains(jobId).doesNotContainAnyElementsOf(stepJobs);

        // when it asks for steps too, then the step jobs are there, naming their workflow job
        List<Map<String, Object>> withSteps = list("limit=500&include_steps=true");
        assertThat(withSteps).filteredOn(listedJob -> stepJobs.contains(listedJob.get("job_id")))
                .hasSize(2).allSatisfy(stepJob -> assertThat(stepJob.get("parent_job_id")).isEqualTo(jobId));

        // when include_steps is neither true nor false, then 400
        asClient().when().get("/api/v1/jobs?include_steps=maybe").then().statusCode(400);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String query) {
        return asClient().when().get("/api/v1/jobs?" + query).then().statusCode(200).extract().path("jobs");
    }
}
