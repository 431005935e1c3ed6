package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.ResultStatus;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.job.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Results flow up: the result of a parent task is built from its local job once that has ended and
 * stored with the link ({@code uplink_tasks.result}), then sent until the parent answers it
 * (accepted, ignored, or refused for good as malformed); a lost uplink or a restart only delays
 * it. The result names this orchestrator as {@code worker_id} and the leaf that ran the task as
 * {@code origin_worker_id}: the origin a lower orchestrator reported, unchanged, or else the worker
 * the local task was assigned to. Blobs of the result in our store go to the parent's first when it
 * keeps its blobs elsewhere ({@link BlobHandup}).
 */
final class ResultRelay {

    private static final int BATCH = 100;
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final Transport transport;
    private final UplinkStatements statements;
    private final BlobHandup blobs;
    private final Clock clock;
    private final Semaphore wakeUp = new Semaphore(0);

    ResultRelay(Transport transport, UplinkStatements statements, BlobHandup blobs, Clock clock) {
        this.transport = transport;
        this.blobs = blobs;
        this.statements = statements;
        this.clock = clock;
    }

    /** Something may be ready to send: do not wait for the next round. */
    void wake() {
        wakeUp.release();
    }

    /** Waits until woken or {@code interval} passed. */
    void await(Duration interval) throws InterruptedException {
        wakeUp.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
    }

    /**
     * One round: results of newly ended local jobs are stored, then every unacknowledged one is
     * sent; returns how many the parent answered.
     */
    int relay() {
        int answered = 0;
        for (UplinkStatements.Ended ended : statements.endedWithoutResult(BATCH)) {
            TaskResult result;
            try {
                result = blobs.handedUp(result(ended));
            } catch (RuntimeException e) {
                // its blobs could not reach the parent's store yet: the next round tries again
                Log.warnf("result of parent task %s waits for its blobs: %s", ended.parentTaskId(), e.getMessage());
                continue;
            }
            statements.setResult(ended.parentTaskId(), Json.writeString(result));
        }
        for (UplinkStatements.Unacked unacked : statements.unacked(BATCH)) {
            TaskResult stored = Json.convert(unacked.result(), TaskResult.class);
            TaskResult outgoing = new TaskResult(stored.jobId(), stored.taskId(), transport.workerId(),
                    stored.originWorkerId() == null ? transport.workerId() : stored.originWorkerId(), stored.status(),
                    stored.data(), stored.error(), stored.dataMetadata(), null, stored.metadata(), null,
                    stored.costs());
            String answer;
            try {
                answer = transport.sendResult(outgoing) ? "accepted" : "ignored";
            } catch (RxonProtocolException e) {
                if (!e.isRefusedForGood()) {
                    throw e;
                }
                // the parent says the result itself is wrong: sending it again cannot help
                answer = "refused for good (" + e.getMessage() + ")";
            }
            statements.ack(unacked.parentTaskId(), clock.millis());
            answered++;
            Log.infof("result of parent task %s (%s, from %s) %s by the parent", stored.taskId(), stored.status(),
                    outgoing.originWorkerId(), answer);
        }
        statements.forgetAckedBefore(clock.millis() - FORGET_AFTER.toMillis());
        return answered;
    }

    static TaskResult failure(String jobId, String taskId, TaskError error) {
        return new TaskResult(jobId, taskId, null, null, ResultStatus.FAILURE.wire(), null, error, null, null, null,
                null, null);
    }

    @SuppressWarnings("unchecked")
    static TaskResult result(UplinkStatements.Ended ended) {
        Map<String, Object> leaf = ended.taskResult() == null ? Map.of() : ended.taskResult();
        String origin = leaf.get("origin_worker_id") instanceof String reported ? reported : ended.workerId();
        Map<String, Object> costs = leaf.get("costs") instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        JobStatus status = JobStatus.fromWire(ended.status());
        String jobId = ended.parentJobId();
        String taskId = ended.parentTaskId();
        return switch (status) {
            case FINISHED -> new TaskResult(jobId, taskId, null, origin, ResultStatus.SUCCESS.wire(), ended.result(),
                    null, metadata(ended.resultMetadata()), null, null, null, costs);
            case CANCELLED -> new TaskResult(jobId, taskId, null, origin, ResultStatus.CANCELLED.wire(), null, null,
                    null, null, null, null, costs);
            default -> new TaskResult(jobId, taskId, null, origin, ResultStatus.FAILURE.wire(), null,
                    ended.error() == null ? new TaskError(ErrorCode.TRANSIENT_ERROR, "the local job " + status.wire())
                            : Json.convert(ended.error(), TaskError.class), null, null, null, null, costs);
        };
    }

    private static Map<String, FileMetadata> metadata(Map<String, Object> stored) {
        if (stored == null || stored.isEmpty()) {
            return null;
        }
        Map<String, FileMetadata> metadata = new LinkedHashMap<>();
        stored.forEach((path, entry) -> metadata.put(path, Json.convert(entry, FileMetadata.class)));
        return metadata;
    }
}
