package io.rxon.orchestrator.worker;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Identifiers;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.blob.S3ConfigCheck;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.task.TaskEntity;
import io.rxon.orchestrator.task.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registration and heartbeats: stores what a worker declares, keeps the in-memory registry the
 * dispatcher reads in step, renews the leases of the tasks a worker reports running and tells it
 * which of them to cancel.
 */
@ApplicationScoped
public class WorkerService {

    private final WorkerRegistry registry;
    private final Clock clock;
    private final long leaseMillis;
    private final S3ConfigCheck s3Check;

    public WorkerService(WorkerRegistry registry, Clock clock, OrchestratorConfig config, S3ConfigCheck s3Check) {
        this.registry = registry;
        this.clock = clock;
        this.leaseMillis = config.timing().livenessTimeout().toMillis();
        this.s3Check = s3Check;
    }

    /** Reloads every stored worker into the registry, so dispatch knows them after a restart. */
    void load(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::loadAll);
    }

    @WithSession
    Uni<Integer> loadAll() {
        return WorkerEntity.<WorkerEntity>listAll().map(workers -> {
            for (WorkerEntity worker : workers) {
                registry.put(WorkerState.of(Json.convert(worker.registration, WorkerRegistration.class), worker.status,
                        worker.lastSeenAt));
            }
            Log.infof("loaded %d registered workers", workers.size());
            return workers.size();
        });
    }

    @WithTransaction
    public Uni<Map<String, Object>> register(String authenticatedId, WorkerRegistration registration,
            String peerVersion) {
        validate(authenticatedId, registration);
        s3Check.warnOnMismatch(registration);
        long now = clock.millis();
        return WorkerEntity.<WorkerEntity>findById(registration.workerId()).chain(existing -> {
            WorkerEntity worker = existing == null ? new WorkerEntity() : existing;
            worker.id = registration.workerId();
            worker.registration = Json.convert(registration.withSecurity(null), Map.class);
            worker.status = Protocol.WORKER_IDLE;
            worker.registeredAt = now;
            worker.lastSeenAt = now;
            return worker.persist().map(ignored -> {
                registry.put(WorkerState.of(registration, worker.status, now));
                Log.infof("worker %s registered with skills %s", worker.id,
                        registry.find(worker.id).map(WorkerState::skillNames).orElseThrow());
                return registeredBody(peerVersion);
            });
        });
    }

    private static Map<String, Object> registeredBody(String peerVersion) {
        if (peerVersion != null && !peerVersion.equals(Protocol.VERSION)) {
            return Map.of("status", "registered", "version", Protocol.VERSION, "warning",
                    "Protocol version mismatch: worker speaks " + peerVersion + ", orchestrator " + Protocol.VERSION);
        }
        return Map.of("status", "registered", "version", Protocol.VERSION);
    }

    private static void validate(String authenticatedId, WorkerRegistration registration) {
        Identifiers.require(registration.workerId(), "worker_id");
        if (!registration.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Immediate sender ID mismatch: authenticated as '" + authenticatedId
                    + "', registering '" + registration.workerId() + "'");
        }
        if (Protocol.GHOST_WORKER_ID.equals(registration.workerId())) {
            throw new ForbiddenActionException("The worker id 'ghost' is reserved for the orchestrator");
        }
        List<SkillInfo> skills = registration.supportedSkills() == null ? List.of() : registration.supportedSkills();
        for (SkillInfo skill : skills) {
            Identifiers.require(Objects.requireNonNull(skill, "skill").name(), "skill name");
        }
    }

    /**
     * A heartbeat: unknown workers are asked to register again (PROTOCOL.md §11.4); known ones get
     * their leases renewed and the ids of reported tasks they should stop.
     */
    @WithTransaction
    public Uni<HeartbeatResponse> heartbeat(String authenticatedId, Heartbeat heartbeat) {
        if (!heartbeat.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Heartbeat sender mismatch: authenticated as '" + authenticatedId
                    + "', heartbeat of '" + heartbeat.workerId() + "'");
        }
        long now = clock.millis();
        return WorkerEntity.<WorkerEntity>findById(heartbeat.workerId()).chain(worker -> {
            if (worker == null) {
                return Uni.createFrom().item(new HeartbeatResponse("ok", true, null));
            }
            worker.status = heartbeat.status();
            worker.lastSeenAt = now;
            worker.usage = heartbeat.usage() == null ? worker.usage : Json.convert(heartbeat.usage(), Map.class);
            worker.currentTasks = heartbeat.currentTasks() == null ? null : heartbeat.currentTasks().toArray(String[]::new);
            boolean needsSync = updateSkills(worker, heartbeat);
            registry.touch(worker.id, heartbeat.status(), now);
            List<String> current = heartbeat.currentTasks() == null ? List.of() : heartbeat.currentTasks();
            return renewLeases(worker.id, current, now)
                    .chain(() -> tasksToCancel(worker.id, current))
                    .map(cancel -> new HeartbeatResponse("ok", needsSync ? Boolean.TRUE : null,
                            cancel.isEmpty() ? null : cancel));
        });
    }

    /** An empty heartbeat only refreshes liveness; {@code null} tells an unknown worker nothing is known. */
    @WithTransaction
    public Uni<Map<String, Object>> touch(String authenticatedId) {
        long now = clock.millis();
        return WorkerEntity.<WorkerEntity>findById(authenticatedId).map(worker -> {
            if (worker == null) {
                return null;
            }
            worker.lastSeenAt = now;
            registry.touch(worker.id, null, now);
            return Map.of("status", "ttl_refreshed");
        });
    }

    /** Adopts a changed skill catalogue; asks for a full registration when we hold none. */
    private boolean updateSkills(WorkerEntity worker, Heartbeat heartbeat) {
        WorkerRegistration stored = Json.convert(worker.registration, WorkerRegistration.class);
        if (heartbeat.supportedSkills() != null && !Objects.equals(heartbeat.skillsHash(), stored.skillsHash())) {
            WorkerRegistration updated = new WorkerRegistration(stored.workerId(), stored.workerType(),
                    heartbeat.supportedSkills(), heartbeat.availableSkills(), heartbeat.hotSkills(), stored.resources(),
                    stored.installedSoftware(), stored.installedArtifacts(), stored.capabilities(),
                    heartbeat.skillsHash(), null, stored.metadata(), stored.timestamp());
            worker.registration = Json.convert(updated, Map.class);
            registry.put(WorkerState.of(updated, heartbeat.status(), clock.millis()));
            return false;
        }
        return stored.supportedSkills() == null || stored.supportedSkills().isEmpty();
    }

    private Uni<Integer> renewLeases(String workerId, List<String> taskIds, long now) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return TaskEntity.update("leaseExpiresAt = ?1 where workerId = ?2 and status = ?3 and id in ?4",
                now + leaseMillis, workerId, TaskStatus.ASSIGNED, taskIds);
    }

    /** Reported tasks that are cancelled, or no longer this worker's to run (PROTOCOL.md §11.5: by task id). */
    private static Uni<List<String>> tasksToCancel(String workerId, List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return TaskEntity.<TaskEntity>list("id in ?1", taskIds).map(tasks -> {
            List<String> cancel = new ArrayList<>();
            for (TaskEntity task : tasks) {
                if (task.cancelRequested || task.status != TaskStatus.ASSIGNED || !workerId.equals(task.workerId)) {
                    cancel.add(task.id);
                }
            }
            return cancel;
        });
    }

    @WithSession
    public Uni<List<WorkerEntity>> list() {
        return WorkerEntity.listAll();
    }
}
