package io.rxon.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillResult;
import io.rxon.worker.testing.SkillHarness;
import io.rxon.worker.testing.TestSkills;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SkillInvokerTest {

    /** {@code contract}: declares an output schema and an event, and returns or emits what its params say. */
    static final class ContractSkill implements Skill {
        @Override
        public SkillInfo info() {
            return SkillDescriptor.builder("contract")
                    .inputSchema("{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"}}}")
                    .outputSchema("{\"type\":\"object\",\"required\":[\"total\"],"
                            + "\"properties\":{\"total\":{\"type\":\"integer\"}}}")
                    .event("stage", "{\"type\":\"object\",\"required\":[\"name\"]}")
                    .outputStatuses("needs_review")
                    .build();
        }

        @Override
        public SkillResult execute(SkillContext context) {
            Map<String, Object> params = context.params();
            if (params.containsKey("emit")) {
                context.emit("stage", Map.of("name", "loading"));
                context.emit("stage", Map.of("wrong", true));
                context.emit("undeclared", Map.of("x", 1));
            }
            if (params.containsKey("review")) {
                return SkillResult.withStatus("needs_review", Map.of("total", 1));
            }
            return params.containsKey("break") ? SkillResult.of(Map.of("total", "many"))
                    : SkillResult.of(Map.of("total", 3)).withCosts(Map.of("tokens", 12));
        }
    }

    private final SkillHarness harness = new SkillHarness(new ContractSkill(), new TestSkills.FailingSkill(),
            new TestSkills.BlockingSkill());

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldReportSuccessWithDataCostsAndExecutionTime() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "contract", Map.of("count", 1)));
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.data()).containsEntry("total", 3);
        assertThat(result.costs()).containsEntry("tokens", 12).containsKey("execution_time_seconds");
        assertThat(result.workerId()).isEqualTo(SkillHarness.WORKER_ID);
        assertThat(result.originWorkerId()).isEqualTo(SkillHarness.WORKER_ID);
        assertThat(result.timestamp()).isNotNull();
    }

    @Test
    void shouldReportAnUnknownSkillAsPermanent() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "teleport", Map.of()));
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.PERMANENT_ERROR);
        assertThat(result.error().message()).contains("no skill 'teleport'");
    }

    @Test
    void shouldValidateParamsBeforeTheSkillRuns() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "contract", Map.of("count", "three")));
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
        assertThat(result.error().details()).containsKey("violations");
    }

    @Test
    void shouldTreatMissingParamsAsAnEmptyObject() {
        TaskPayload task = new TaskPayload("j", "t", "contract", null, null, null, 0.0, null, null, null, null, null,
                null, 0, 0, null, null);
        assertThat(harness.run(task).isSuccess()).isTrue();
    }

    @Test
    void shouldReportDataThatBreaksTheOutputSchemaAsAContractViolation() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "contract", Map.of("break", true)));
        assertThat(result.error().errorCode()).isEqualTo(ErrorCode.CONTRACT_VIOLATION_ERROR);
        assertThat(result.error().message()).contains("$.total");
    }

    @Test
    void shouldPassACustomStatusThrough() {
        TaskResult result = harness.run(TaskPayload.of("j", "t", "contract", Map.of("review", true)));
        assertThat(result.status()).isEqualTo("needs_review");
    }

    @Test
    void shouldMapThrownExceptionsToErrorCodes() {
        assertThat(harness.run(TaskPayload.of("j", "t", "fail", Map.of("code", "DEPENDENCY_ERROR"))).error().code())
                .isEqualTo("DEPENDENCY_ERROR");
        assertThat(harness.run(TaskPayload.of("j", "t", "fail", Map.of())).error().code())
                .isEqualTo("TRANSIENT_ERROR");
    }

    @Test
    void shouldRefuseASkillTheTaskPolicyDoesNotAllow() {
        TaskPayload task = new TaskPayload("j", "t", "contract", Map.of(), null, null, 0.0, null, null, null, null,
                Map.of("allowed_skills", List.of("echo")), null, 0, 0, null, null);
        assertThat(harness.run(task).error().errorCode()).isEqualTo(ErrorCode.SECURITY_ERROR);
    }

    @Test
    void shouldSendOnlyDeclaredEventsThatMatchTheirSchema() {
        // when the skill emits a valid, an invalid and an undeclared event
        harness.run(TaskPayload.of("j", "t-events", "contract", Map.of("emit", true)));

        // then only the valid one is sent, addressed to the task
        List<WorkerEventPayload> events = harness.events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).eventType()).isEqualTo("stage");
        assertThat(events.get(0).payload()).containsEntry("name", "loading");
        assertThat(events.get(0).targetTaskId()).isEqualTo("t-events");
    }

    @Test
    void shouldReportACancelledTaskAsCancelled() {
        // given a blocking task running
        TaskRun run = new TaskRun(TaskPayload.of("j", "t-cancel", "block", Map.of()), Instant.now());
        CompletableFuture<TaskResult> result = harness.start(run);

        // when it is cancelled
        run.requestStop(TaskRun.StopReason.CANCELLED);

        // then it ends as cancelled
        await().atMost(Duration.ofSeconds(5)).until(result::isDone);
        assertThat(result.join().status()).isEqualTo(ResultStatus.CANCELLED.wire());
    }

    @Test
    void shouldReportATaskStoppedAtItsDeadlineAsATimeout() {
        // given a blocking task running
        TaskRun run = new TaskRun(TaskPayload.of("j", "t-late", "block", Map.of()), Clock.systemUTC().instant());
        CompletableFuture<TaskResult> result = harness.start(run);

        // when its deadline stops it
        run.requestStop(TaskRun.StopReason.TIMED_OUT);

        // then it ends as a TIMEOUT_ERROR failure
        await().atMost(Duration.ofSeconds(5)).until(result::isDone);
        assertThat(result.join().error().errorCode()).isEqualTo(ErrorCode.TIMEOUT_ERROR);
    }
}
