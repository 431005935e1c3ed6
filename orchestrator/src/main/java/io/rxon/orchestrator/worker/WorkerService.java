package io.rxon.orchestrator.worker;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
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
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.orchestrator.blob.S3ConfigCheck;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.db.UniqueViolation;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.LinkedHashMap;
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

    private static final Map<String, Object> TTL_REFRESHED = Map.of("status", "ttl_refreshed");

    private final WorkerRegistry registry;
    private final Clock clock;
    private final long leaseMillis;
    private final S3ConfigCheck s3Check;
    private final WorkerSightings sightings;
    private final HeartbeatStatements statements;
    private final TaskLeases leases;
    private final WorkerDirectory directory;

    public WorkerService(WorkerRegistry registry, Clock clock, OrchestratorConfig config, S3ConfigCheck s3Check,
            WorkerSightings sightings, HeartbeatStatements statements, TaskLeases leases, WorkerDirectory directory) {
        this.directory = directory;
        this.leases = leases;
        this.registry = registry;
        this.clock = clock;
        this.leaseMillis = config.timing().livenessTimeout().toMillis();
        this.s3Check = s3Check;
        this.sightings = sightings;
        this.statements = statements;
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

    /**
     * Stores the registration (a new row or the worker's row replaced). Two registrations of a new
     * worker at once both find no row and both insert; the loser runs again and replaces the row.
     */
    public Uni<Map<String, Object>> register(String authenticatedId, WorkerRegistration registration,
            String peerVersion) {
        validate(authenticatedId, registration);
        s3Check.warnOnMismatch(registration);
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> store(registration, peerVersion)))
                .onFailure(UniqueViolation::is).retry().atMost(2)
                .invoke(() -> directory.changed(registration.workerId()));
    }

    private Uni<Map<String, Object>> store(WorkerRegistration registration, String peerVersion) {
        long now = clock.millis();
        return WorkerEntity.<WorkerEntity>findById(registration.workerId()).chain(existing -> {
            WorkerEntity worker = existing == null ? new WorkerEntity() : existing;
            worker.id = registration.workerId();
            worker.registration = Json.convert(registration.withSecurity(null), Map.class);
            worker.status = WorkerStatus.IDLE.wire();
            worker.registeredAt = now;
            worker.lastSeenAt = now;
            return worker.persist().map(ignored -> {
                registry.put(WorkerState.of(registration, worker.status, now));
                Log.infof("worker %s registered with skills %s", worker.id,
                        registry.find(worker.id).map(WorkerState::skillNames).orElseThrow());
                return registeredBody(peerVersion, registration.asksForPushDispatch());
            });
        });
    }

    /**
     * The reference answer, plus {@code "push_dispatch": true} only for a worker that announced the
     * extension (docs/PUSH_DISPATCH.md): the worker pushes nothing before it reads this consent, and
     * a reference worker, which never asks, never sees the field.
     */
    private static Map<String, Object> registeredBody(String peerVersion, boolean push) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "registered");
        body.put("version", Protocol.VERSION);
        if (peerVersion != null && !peerVersion.equals(Protocol.VERSION)) {
            body.put("warning",
                    "Protocol version mismatch: worker speaks " + peerVersion + ", orchestrator " + Protocol.VERSION);
        }
        if (push) {
            body.put(Protocol.EXTRA_PUSH_DISPATCH, true);
        }
        return body;
    }

    private static void validate(String authenticatedId, WorkerRegistration registration) {
        Identifiers.require(registration.workerId(), "worker_id");
        if (!registration.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Immediate sender ID mismatch: authenticated as '" + authenticatedId
                    + "', registering '" + registration.workerId() + "'");
        }
        if (Protocol.GHOST_WORKER_ID.equalsIgnoreCase(registration.workerId())) {
            throw new ForbiddenActionException("The worker id 'ghost' is reserved for the orchestrator");
        }
        List<SkillInfo> skills = registration.supportedSkills() == null ? List.of() : registration.supportedSkills();
        for (SkillInfo skill : skills) {
            if (skill == null) {
                throw new InvalidRequestException("supported_skills must not contain null");
            }
            Identifiers.require(skill.name(), "skill name");
        }
    }

    /**
     * A heartbeat: unknown workers are asked to register again (PROTOCOL.md §11.4); known ones get
     * their leases renewed and the ids of reported tasks they should stop. Liveness, status and
     * usage go to the registry at once and to the database with the next batch
     * ({@link WorkerSightings}); only reported tasks or a changed skill catalogue cost a statement.
     */
    public Uni<HeartbeatResponse> heartbeat(String authenticatedId, Heartbeat heartbeat) {
        if (!heartbeat.workerId().equals(authenticatedId)) {
            throw new ForbiddenActionException("Heartbeat sender mismatch: authenticated as '" + authenticatedId
                    + "', heartbeat of '" + heartbeat.workerId() + "'");
        }
        long now = clock.millis();
        return directory.known(heartbeat.workerId()).chain(worker -> worker.isEmpty()
                ? Uni.createFrom().item(new HeartbeatResponse("ok", true, null))
                : accept(worker.get(), heartbeat, now));
    }

    private Uni<HeartbeatResponse> accept(WorkerState worker, Heartbeat heartbeat, long now) {
        registry.touch(worker.workerId(), heartbeat.status(), now);
        sightings.record(worker.workerId(), WorkerSighting.of(heartbeat, now));
        List<String> current = heartbeat.currentTasks() == null ? List.of() : heartbeat.currentTasks();
        return updateSkills(worker, heartbeat, now)
                .chain(needsSync -> tasksToCancel(worker.workerId(), current, now)
                        .map(cancel -> new HeartbeatResponse("ok", needsSync ? Boolean.TRUE : null,
                                cancel.isEmpty() ? null : cancel)));
    }

    /** An empty heartbeat only refreshes liveness; {@code null} tells an unknown worker nothing is known. */
    public Uni<Map<String, Object>> touch(String authenticatedId) {
        long now = clock.millis();
        return directory.known(authenticatedId).map(worker -> {
            if (worker.isEmpty()) {
                return null;
            }
            registry.touch(authenticatedId, null, now);
            sightings.record(authenticatedId, WorkerSighting.alive(now));
            return TTL_REFRESHED;
        });
    }

    /**
     * Adopts a changed skill catalogue (stored at once: dispatch everywhere depends on it); answers
     * whether to ask for a full registration, as when we hold no skills at all.
     */
    private Uni<Boolean> updateSkills(WorkerState worker, Heartbeat heartbeat, long now) {
        WorkerRegistration stored = worker.registration();
        if (heartbeat.supportedSkills() == null || Objects.equals(heartbeat.skillsHash(), stored.skillsHash())) {
            return Uni.createFrom().item(stored.supportedSkills() == null || stored.supportedSkills().isEmpty());
        }
        WorkerRegistration updated = new WorkerRegistration(stored.workerId(), stored.workerType(),
                heartbeat.supportedSkills(), heartbeat.availableSkills(), heartbeat.hotSkills(), stored.resources(),
                stored.installedSoftware(), stored.installedArtifacts(), stored.capabilities(),
                heartbeat.skillsHash(), null, stored.metadata(), stored.timestamp());
        registry.put(WorkerState.of(updated, heartbeat.status(), now));
        return statements.adoptSkills(updated).map(adopted -> {
            adopted.ifPresent(registration -> {
                registry.put(WorkerState.of(registration, heartbeat.status(), now));
                directory.changed(registration.workerId());
            });
            return false;
        });
    }

    /** Reported tasks that are cancelled, or no longer this worker's to run (PROTOCOL.md §11.5: by task id). */
    private Uni<List<String>> tasksToCancel(String workerId, List<String> taskIds, long now) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return leases.renew(workerId, taskIds, now + leaseMillis);
    }

    @WithSession
    public Uni<List<WorkerEntity>> list() {
        return WorkerEntity.listAll();
    }
}
