package io.rxon.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.TaskSignatures;
import io.rxon.common.transport.MockTransport;
import io.rxon.worker.blob.TaskBlobs;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.skill.builtin.EchoSkill;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With the orchestrator's key configured, only tasks it signed run. */
class TaskSignatureCheckTest {

    private static final HmacSigner ORCHESTRATOR_KEY = new HmacSigner("task-signing-key");

    private final TaskEvents events = new TaskEvents(new MockTransport("w", null), Clock.systemUTC(), "w");
    private final SkillInvoker invoker = new SkillInvoker(SkillRegistry.of(List.of(new EchoSkill()), Set.of()), events,
            Clock.systemUTC(), "w", TaskBlobs.none(), Optional.of(ORCHESTRATOR_KEY));

    @AfterEach
    void close() {
        events.close();
    }

    private TaskResult run(TaskPayload task) {
        return invoker.invoke(new TaskRun(task, Clock.systemUTC().instant()));
    }

    @Test
    void shouldRunATaskSignedByTheOrchestrator() {
        TaskResult result = run(TaskSignatures.sign(TaskPayload.of("j", "t", "echo", Map.of("a", 1)), ORCHESTRATOR_KEY));

        assertThat(result.isSuccess()).isTrue();
    }

    @Test
    void shouldRefuseUnsignedForgedAndTamperedTasks() {
        TaskPayload unsigned = TaskPayload.of("j", "t", "echo", Map.of("a", 1));
        TaskPayload forged = TaskSignatures.sign(unsigned, new HmacSigner("guess"));
        TaskPayload tampered = TaskSignatures.sign(unsigned, ORCHESTRATOR_KEY).withParams(Map.of("a", 2));

        for (TaskPayload task : List.of(unsigned, forged, tampered)) {
            TaskResult result = run(task);
            assertThat(result.isSuccess()).isFalse();
            assertThat(result.error().errorCode()).isEqualTo(ErrorCode.SECURITY_ERROR);
        }
    }
}
