package io.rxon.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sealed lifecycles and the one list of ended statuses each keeps beside them must agree. */
class LifecycleStatesTest {

    @Test
    void shouldListExactlyTheEndedTaskStatesAsEnded() {
        // given every task state
        Set<TaskStatus> ended = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            // when it is read as a state
            if (TaskState.of(status, "w", 1L) instanceof TaskState.Ended) {
                ended.add(status);
            }
        }
        // then the ended ones are exactly those of the list the SQL is written from
        assertThat(ended).containsExactlyInAnyOrderElementsOf(TaskState.ENDED);
        assertThat(permittedNames(TaskState.Ended.class)).hasSize(TaskState.ENDED.size());
    }

    @Test
    void shouldListExactlyTheEndedJobStatesAsEndedEachWithItsEvent() {
        Set<JobStatus> ended = EnumSet.noneOf(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            if (JobState.of(status, "w") instanceof JobState.Ended end) {
                ended.add(status);
                assertThat(JobState.isEndEvent(end.eventType())).isTrue();
            }
        }
        assertThat(ended).containsExactlyInAnyOrderElementsOf(JobState.ENDED);
        assertThat(JobState.END_EVENTS.keySet()).containsExactlyInAnyOrderElementsOf(JobState.ENDED);
        assertThat(permittedNames(JobState.Ended.class)).hasSize(JobState.ENDED.size());
    }

    @Test
    void shouldNeverMoveAnEndedJobOrTask() {
        // given a finished job and a succeeded task
        JobEntity job = new JobEntity();
        job.id = "j";
        job.status = JobStatus.FINISHED;
        TaskEntity task = new TaskEntity();
        task.id = "t";
        task.status = TaskStatus.SUCCEEDED;
        // when a transition from an older read is applied, then it is refused
        assertThatThrownBy(() -> job.moveTo(new JobState.Running("w").fail(), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> task.moveTo(new TaskState.Assigned("w", 1).fail(), 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCarryTheWorkerAndLeaseWhenATaskIsAssignedAndRenewed() {
        TaskEntity task = new TaskEntity();
        task.id = "t";
        task.status = TaskStatus.PENDING;
        task.moveTo(((TaskState.Pending) task.state()).assign("w1", 100), 5);
        TaskState.Assigned renewed = ((TaskState.Assigned) task.state()).renew(200);
        assertThat(renewed).isEqualTo(new TaskState.Assigned("w1", 200));
        assertThat(task.workerId).isEqualTo("w1");
        assertThat(task.finishedAt).isNull();
    }

    @Test
    void shouldWriteStatusLiteralsFromTheStates() {
        assertThat(StatusSql.of("status = {task:pending} AND j.status NOT IN ({job:ended})"))
                .isEqualTo("status = 'pending' AND j.status NOT IN ('finished', 'failed', 'cancelled', 'quarantined')");
        assertThatThrownBy(() -> StatusSql.of("{task:lost}")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<String> permittedNames(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses()).map(Class::getSimpleName).collect(Collectors.toSet());
    }
}
