package io.rxon.orchestrator.job;

import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.blob.BlobHandover;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The holarchy fields of a task handed to a worker (docs/HOLARCHY.md). A job that came down from a
 * parent orchestrator keeps its {@code depth} and the identity chain of the orchestrators it passed
 * through in its metadata ({@link #METADATA_KEY}); at dispatch they move into the task's
 * {@code depth} and {@code security.identity_chain}, the chain extended by this orchestrator when it
 * has a parent (its worker id there is its name), so that a task coming back to a node already on
 * its path is recognised. The job's requirements reach only workers that are orchestrators
 * themselves ({@link Protocol#TASK_REQUIREMENTS}, a negotiated extension: PROTOCOL.md §11), which
 * need them to place the task in their own fleet; a plain worker never sees the key. An orchestrator
 * worker with another blob store also gets presigned URLs for the blobs of the params
 * ({@link BlobHandover}).
 */
@ApplicationScoped
public class HolarchyStamp {

    /** Where a job from a parent keeps {@code depth} and {@code identity_chain} between submit and claim. */
    public static final String METADATA_KEY = "rxon_holarchy";

    private final Optional<String> nodeId;
    private final WorkerRegistry registry;
    private final BlobHandover blobs;

    @Inject
    public HolarchyStamp(OrchestratorConfig config, WorkerRegistry registry, BlobHandover blobs) {
        this(config.parent().url().isPresent() ? config.parent().workerId() : Optional.empty(), registry, blobs);
    }

    private HolarchyStamp(Optional<String> nodeId, WorkerRegistry registry, BlobHandover blobs) {
        this.nodeId = nodeId;
        this.registry = registry;
        this.blobs = blobs;
    }

    /** No node name and no orchestrator workers: only removes what a plain worker must not see. */
    public static HolarchyStamp plain() {
        return new HolarchyStamp(Optional.empty(), null, null);
    }

    /** The metadata entry of a job that came down from a parent at {@code depth} through {@code chain}. */
    public static Map<String, Object> metadataEntry(int depth, List<String> chain) {
        return Map.of("depth", depth, "identity_chain", List.copyOf(chain));
    }

    ClaimedTask dispatched(ClaimedTask claimed) {
        TaskPayload task = claimed.payload();
        Object holarchy = task.metadata() == null ? null : task.metadata().get(METADATA_KEY);
        Optional<WorkerRegistration> orchestrator = orchestrator(claimed.workerId());
        boolean holon = orchestrator.isPresent();
        Map<String, Object> blobUrls = orchestrator.map(child -> blobs.downloadUrls(child, task.params()))
                .orElse(Map.of());
        if (holarchy == null && nodeId.isEmpty() && blobUrls.isEmpty()
                && (holon || !task.extra().containsKey(Protocol.TASK_REQUIREMENTS))) {
            return claimed;
        }
        Map<String, Object> metadata = task.metadata() == null ? null : new LinkedHashMap<>(task.metadata());
        int depth = 0;
        List<String> chain = new ArrayList<>();
        if (holarchy instanceof Map<?, ?> stored) {
            metadata.remove(METADATA_KEY);
            depth = stored.get("depth") instanceof Number number ? number.intValue() : 0;
            if (stored.get("identity_chain") instanceof List<?> ids) {
                ids.forEach(id -> chain.add(String.valueOf(id)));
            }
        }
        nodeId.filter(id -> chain.isEmpty() || !chain.get(chain.size() - 1).equals(id)).ifPresent(chain::add);
        Map<String, Object> extra = new LinkedHashMap<>(task.extra());
        if (!holon) {
            extra.remove(Protocol.TASK_REQUIREMENTS);
        }
        if (!blobUrls.isEmpty()) {
            extra.put(Protocol.TASK_BLOB_URLS, blobUrls);
        }
        SecurityContext security = task.security();
        if (!chain.isEmpty()) {
            security = security == null ? new SecurityContext(null, null, chain, null)
                    : new SecurityContext(security.signature(), security.signerId(), chain, security.metadata());
        }
        TaskPayload stamped = new TaskPayload(task.jobId(), task.taskId(), task.type(), task.params(),
                task.tracingContext(), task.paramsMetadata(), task.priority(), task.deadline(), security, metadata,
                task.timestamp(), task.policy(), task.sig(), task.step(), depth, task.parentHash(), extra);
        return new ClaimedTask(stamped, claimed.workerId(), claimed.attempt(), claimed.queuedMillis(),
                claimed.dispatched());
    }

    /** The registration of the worker when it is an orchestrator (of a holarchy below us). */
    private Optional<WorkerRegistration> orchestrator(String workerId) {
        return registry == null ? Optional.empty() : registry.find(workerId).map(WorkerState::registration)
                .filter(registration -> registration.capabilities() != null
                        && registration.capabilities().hasExtraFlag(Protocol.EXTRA_ORCHESTRATOR));
    }
}
