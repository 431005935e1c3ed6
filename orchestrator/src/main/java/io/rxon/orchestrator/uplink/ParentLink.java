package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.rxon.orchestrator.worker.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * This orchestrator as a worker of its parent: registers with its fleet's summary
 * ({@link FleetSummary}), registers again whenever that summary changes (a worker with new skills
 * joined, the last worker of a skill left) or the parent asks for a full sync, and heartbeats with
 * the parent tasks its local jobs run (which renews their leases there), its fleet's size and
 * aggregate usage ({@link FleetSummary#usage}); the cancellations a heartbeat answer names go to
 * {@code cancel}.
 */
final class ParentLink {

    private final Transport transport;
    private final WorkerRegistry registry;
    private final UplinkStatements statements;
    private final FleetStatements fleetStatements;
    private final Clock clock;
    private final Duration liveness;
    private final String hostname;
    private final boolean push;
    private final String s3ConfigHash;
    private final Consumer<RegistrationResponse> registered;
    private volatile String registeredFingerprint;

    /**
     * @param push announce push dispatch (the parent's URL asked for the socket)
     * @param registered hears every registration's answer (the socket negotiates push from it)
     */
    ParentLink(Transport transport, WorkerRegistry registry, UplinkStatements statements,
            FleetStatements fleetStatements, Clock clock,
            Duration liveness, String hostname, boolean push, String s3ConfigHash,
            Consumer<RegistrationResponse> registered) {
        this.push = push;
        this.s3ConfigHash = s3ConfigHash;
        this.registered = registered;
        this.transport = transport;
        this.registry = registry;
        this.statements = statements;
        this.fleetStatements = fleetStatements;
        this.clock = clock;
        this.liveness = liveness;
        this.hostname = hostname;
    }

    String workerId() {
        return transport.workerId();
    }

    boolean isRegistered() {
        return registeredFingerprint != null;
    }

    /** Forgets the registration: the next heartbeat round registers again (this replica took the uplink back). */
    void forget() {
        registeredFingerprint = null;
    }

    /** The skills offered at the last registration (what to poll for). */
    List<String> skillNames() {
        return summary().supportedSkills().stream().map(skill -> skill.name()).toList();
    }

    /** Registers when never registered or when the fleet's summary changed since. */
    void registerIfChanged() {
        WorkerRegistration registration = summary();
        String fingerprint = FleetSummary.fingerprint(registration);
        if (fingerprint.equals(registeredFingerprint)) {
            return;
        }
        RegistrationResponse answer = transport.register(registration);
        Log.infof("registered with the parent orchestrator as %s: skills %s from %s live worker(s)", workerId(),
                registration.supportedSkills().stream().map(skill -> skill.name()).toList(),
                registration.metadata().get("fleet_workers"));
        registeredFingerprint = fingerprint;
        registered.accept(answer);
    }

    /** One heartbeat; re-registers when the parent does not know this worker or asks for a full sync. */
    void heartbeat(Consumer<String> cancel) {
        List<String> current = statements.open();
        long alive = fleet().size();
        ResourcesUsage usage = FleetSummary.usage(fleetStatements.usage(clock.millis() - liveness.toMillis()));
        Heartbeat heartbeat = new Heartbeat(workerId(), current.isEmpty() ? WorkerStatus.IDLE.wire()
                : WorkerStatus.BUSY.wire(), usage, current, null, null, null, null, null,
                Map.of("fleet_workers", alive), null);
        Optional<HeartbeatResponse> answer = transport.sendHeartbeat(heartbeat);
        if (answer.isEmpty() || answer.get().fullSyncRequested()) {
            registeredFingerprint = null;
        }
        registerIfChanged();
        answer.ifPresent(response -> response.cancelTaskIdsOrEmpty().forEach(cancel));
    }

    private WorkerRegistration summary() {
        return FleetSummary.registration(workerId(), hostname, fleet(), push, s3ConfigHash);
    }

    /**
     * The live workers of the whole cluster: those any replica heard from lately (the database), and
     * those this one heard from since its last heartbeat flush. The replica that runs the uplink need
     * not be the one the workers talk to.
     */
    private List<WorkerState> fleet() {
        long now = clock.millis();
        Map<String, WorkerState> live = new TreeMap<>();
        fleetStatements.live(now - liveness.toMillis()).forEach(worker -> live.put(worker.workerId(), worker));
        registry.all().stream().filter(worker -> worker.isAlive(now, liveness.toMillis()))
                .forEach(worker -> live.put(worker.workerId(), worker));
        return List.copyOf(live.values());
    }
}
