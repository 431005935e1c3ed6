package io.rxon.orchestrator.job;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.NotConfiguredException;
import io.rxon.orchestrator.error.PayloadTooLargeException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Presigned PUT URLs for the result blobs of an orchestrator worker with another store
 * (docs/HOLARCHY.md): it uploads them into the directory of the task it holds,
 * {@code jobs/<job>/<task>/<name>}, and names those in its result, so our clients read them in our
 * store. A worker sharing our store gets none ({@code shared: true}): its references are ours already.
 */
@ApplicationScoped
public class ChildUploads {

    /** Blobs per request, as many as a job's params may name. */
    static final int MAX_BLOBS = 100;

    /** One blob to upload: its file name and exact size. */
    public record Wanted(String name, long size) {}

    private final BlobStorage storage;
    private final WorkerRegistry registry;
    private final Duration lifetime;
    private final long maxSize;

    public ChildUploads(BlobStorage storage, WorkerRegistry registry, OrchestratorConfig config) {
        this.storage = storage;
        this.registry = registry;
        this.lifetime = Duration.ofMinutes(config.blob().uploadUrlMinutes());
        this.maxSize = config.blob().maxUploadSize().asLongValue();
    }

    /** The answer: {@code shared}, and for each blob {@code name, uri, url, headers, expires_at}. */
    @WithSession
    public Uni<Map<String, Object>> urls(String workerId, String jobId, String taskId, List<Wanted> blobs) {
        if (jobId == null || taskId == null || blobs == null || blobs.isEmpty() || blobs.size() > MAX_BLOBS) {
            throw new InvalidRequestException("job_id, task_id and 1 to " + MAX_BLOBS + " blobs are required");
        }
        for (Wanted blob : blobs) {
            if (blob == null || blob.name() == null || blob.size() < 0) {
                throw new InvalidRequestException("each blob needs a name and a size of 0 or more bytes");
            }
            if (blob.size() > maxSize) {
                throw new PayloadTooLargeException(blob.name() + " has " + blob.size() + " bytes, over the limit of "
                        + maxSize);
            }
        }
        var presigner = storage.presigner().orElseThrow(() -> new NotConfiguredException(
                "this orchestrator keeps no blobs on S3, so it gives no presigned URLs"));
        return TaskEntity.<TaskEntity>findById(taskId).map(task -> {
            if (task == null || !task.jobId.equals(jobId) || !workerId.equals(task.workerId)
                    || task.status != TaskStatus.ASSIGNED) {
                throw new ResourceNotFoundException("task " + taskId + " of job " + jobId + " is not held by "
                        + workerId);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            boolean shared = sharesOurStore(workerId);
            answer.put("shared", shared);
            List<Map<String, Object>> urls = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Wanted blob : shared ? List.<Wanted>of() : blobs) {
                String name = BlobKeys.safeName(blob.name());
                if (!names.add(name)) {
                    throw new InvalidRequestException("blob names must differ once made safe; " + name + " repeats");
                }
                BlobUri target = BlobKeys.output(storage.bucket(), jobId, taskId, name);
                var url = presigner.put(target, lifetime, blob.size(), null);
                urls.add(Map.of("name", blob.name(), "uri", target.toString(), "url", url.url().toString(),
                        "headers", url.headers(), "expires_at", url.expiresAt().getEpochSecond()));
            }
            answer.put("urls", urls);
            return answer;
        });
    }

    private boolean sharesOurStore(String workerId) {
        String theirs = registry.find(workerId).map(WorkerState::registration)
                .map(registration -> registration.capabilities() == null ? null
                        : registration.capabilities().s3ConfigHash()).orElse(null);
        // unknown on either side (no S3 there, or credentials from the AWS chain) is not proof of sharing: copying is
        // then extra work, not wrong
        return theirs != null && Objects.equals(theirs, storage.configHash().orElse(null));
    }
}
