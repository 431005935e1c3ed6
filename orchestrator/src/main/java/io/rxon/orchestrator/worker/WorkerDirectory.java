package io.rxon.orchestrator.worker;

import io.quarkus.logging.Log;
import io.rxon.orchestrator.cluster.PeerWorkerChanged;
import io.rxon.orchestrator.cluster.WorkerChannels;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Registrations are shared state: the {@code workers} table is the source of truth and each
 * replica's {@link WorkerRegistry} a cache of it. A worker unknown here (registered through another
 * replica) is read from the database the first time it shows up ({@link #known}, called by every
 * worker edge before anything reads the registry); a registration or skill catalogue stored here is
 * announced to the other replicas ({@link #changed}), which read the row again at once.
 */
@ApplicationScoped
public class WorkerDirectory {

    private final WorkerRegistry registry;
    private final HeartbeatStatements statements;
    private final WorkerChannels channels;

    public WorkerDirectory(WorkerRegistry registry, HeartbeatStatements statements, WorkerChannels channels) {
        this.registry = registry;
        this.statements = statements;
        this.channels = channels;
    }

    /**
     * The worker as the registry holds it; a worker that registered through another orchestrator
     * on the same database is read from there once and kept (its later changes arrive by
     * notification). Costs nothing for a worker already known here.
     */
    public Uni<Optional<WorkerState>> known(String workerId) {
        Optional<WorkerState> held = registry.find(workerId);
        if (held.isPresent()) {
            return Uni.createFrom().item(held);
        }
        return statements.find(workerId).map(stored -> stored.map(worker -> {
            Log.debugf("worker %s registered elsewhere; loaded from the database", workerId);
            return registry.putIfAbsent(worker);
        }));
    }

    /** A registration or skill catalogue of this worker has committed here: the other replicas re-read it. */
    void changed(String workerId) {
        channels.workerChanged(workerId);
    }

    /** Another replica stored this worker's registration or skills: our copy is replaced by the stored row. */
    void onPeerChange(@Observes PeerWorkerChanged change) {
        statements.find(change.workerId()).subscribe().with(
                stored -> stored.ifPresent(worker -> {
                    // the stored sign of life may be older than the last heartbeat heard here
                    long lastSeen = Math.max(worker.lastSeenAt(),
                            registry.find(change.workerId()).map(WorkerState::lastSeenAt).orElse(0L));
                    registry.put(WorkerState.of(worker.registration(), worker.status(), lastSeen));
                    Log.debugf("worker %s changed on another orchestrator; re-read", change.workerId());
                }),
                error -> Log.warnf(error, "cannot re-read worker %s changed on another orchestrator",
                        change.workerId()));
    }
}
