package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.common.error.RxonException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.job.HolarchyStamp;
import io.rxon.orchestrator.job.JobRequest;
import io.rxon.orchestrator.job.JobService;
import io.rxon.orchestrator.job.JobTracing;
import io.rxon.orchestrator.security.ClientIdentity;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A task from the parent becomes a local job on this orchestrator's fleet, with the parent task's
 * type, params, requirements (the extension only orchestrator workers receive), priority, deadline
 * (as the job's timeout), metadata, trace context and {@code depth + 1} (blobs in a parent's store
 * that is not ours are copied first, {@link BlobIntake}); the link is recorded
 * durably, so a task the parent hands out again is not run twice, and a new task of a parent job
 * whose local job still runs or has finished (the parent re-dispatched it after its lease ran out)
 * joins that local job: both parent tasks get its result, the parent applies the one it still waits for. A task this orchestrator must not
 * run ({@link HolarchyGuard}) or cannot store (params that break its workers' schemas) is refused
 * with an error result instead; the result relay delivers both kinds.
 */
final class TaskIntake {

    /** The client the local jobs of parent tasks belong to (they are not listed to API clients). */
    static final ClientIdentity PARENT_CLIENT = new ClientIdentity("rxon-parent", true, false);

    private final UplinkStatements statements;
    private final HolarchyGuard guard;
    private final JobService jobs;
    private final ResultRelay results;
    private final BlobIntake blobs;
    private final Clock clock;

    TaskIntake(UplinkStatements statements, HolarchyGuard guard, JobService jobs, ResultRelay results,
            BlobIntake blobs, Clock clock) {
        this.statements = statements;
        this.blobs = blobs;
        this.guard = guard;
        this.jobs = jobs;
        this.results = results;
        this.clock = clock;
    }

    /** @param pushed the parent pushed it over the socket (else it was long-polled); for the log */
    void accept(TaskPayload task, boolean pushed) {
        if (statements.find(task.taskId()).isPresent()) {
            Log.infof("parent task %s was received before; its local job runs or its result is on its way",
                    task.taskId());
            return;
        }
        Optional<TaskError> refusal = guard.refusal(task);
        if (refusal.isPresent()) {
            Log.warnf("refused parent task %s of job %s: %s", task.taskId(), task.jobId(), refusal.get().message());
            refuse(task, refusal.get());
            return;
        }
        Optional<String> running = statements.reusableLocalJob(task.jobId());
        if (running.isPresent()) {
            statements.insert(task.taskId(), task.jobId(), running.get(), clock.millis(), null);
            Log.infof("parent task %s hands out job %s again; it joins local job %s instead of running twice",
                    task.taskId(), task.jobId(), running.get());
            return;
        }
        String localJobId;
        try {
            JobRequest request = request(task, blobs.localParams(task));
            localJobId = VertxContextSupport.subscribeAndAwait(() -> jobs.submitForParent(PARENT_CLIENT, request));
        } catch (IllegalArgumentException | InvalidRequestException e) {
            refuse(task, new TaskError(ErrorCode.INVALID_INPUT_ERROR, e.getMessage()));
            return;
        } catch (RxonException e) {
            // a blob of the parent's store could not be copied into ours (BlobIntake)
            Log.warnf("parent task %s: %s", task.taskId(), e.getMessage());
            refuse(task, new TaskError(e.code(), e.getMessage()));
            return;
        } catch (Throwable e) {
            // the parent retries a transient failure, here or on another worker
            Log.warnf(e, "could not store parent task %s as a local job", task.taskId());
            refuse(task, new TaskError(ErrorCode.TRANSIENT_ERROR, "the orchestrator could not store the task: "
                    + e.getMessage()));
            return;
        }
        statements.insert(task.taskId(), task.jobId(), localJobId, clock.millis(), null);
        Log.infof("parent task %s of job %s (depth %d, %s) runs here as job %s", task.taskId(), task.jobId(),
                task.depth(), pushed ? "pushed" : "polled", localJobId);
    }

    private void refuse(TaskPayload task, TaskError error) {
        statements.insert(task.taskId(), task.jobId(), null, clock.millis(),
                Json.writeString(ResultRelay.failure(task.jobId(), task.taskId(), error)));
        results.wake();
    }

    @SuppressWarnings("unchecked")
    private JobRequest request(TaskPayload task, Map<String, Object> params) {
        Map<String, Object> metadata = new LinkedHashMap<>(task.metadata() == null ? Map.of() : task.metadata());
        metadata.put(HolarchyStamp.METADATA_KEY, HolarchyStamp.metadataEntry(task.depth() + 1,
                HolarchyGuard.chain(task)));
        if (task.tracingContext() != null && !task.tracingContext().isEmpty()) {
            metadata.put(JobTracing.METADATA_KEY, task.tracingContext());
        }
        Map<String, Object> requirements = task.extra().get(Protocol.TASK_REQUIREMENTS) instanceof Map<?, ?> map
                ? (Map<String, Object>) map : null;
        Integer timeout = null;
        if (task.deadline() != null) {
            timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, task.deadline() - clock.instant().getEpochSecond()));
        }
        double priority = Math.max(-JobRequest.PRIORITY_LIMIT, Math.min(JobRequest.PRIORITY_LIMIT, task.priority()));
        return new JobRequest(task.type(), params, requirements, priority, timeout, null, null, null,
                metadata);
    }
}
