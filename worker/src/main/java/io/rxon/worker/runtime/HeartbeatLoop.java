package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.WorkerStatus;
import io.rxon.common.transport.Transport;
import io.rxon.worker.host.HostTelemetry;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a heartbeat every interval: status (idle/busy/full, or draining), telemetry, the ids of
 * running tasks (which renews their leases), the skills that can start now and the skills hash.
 * Acts on the answer: {@code require_full_sync} or an orchestrator that no longer knows the worker
 * triggers a registration, {@code cancel_task_ids} cancels those tasks. One heartbeat also goes
 * out right after every registration, so the orchestrator sees the worker's status and running
 * tasks at once instead of an interval later. The last heartbeat of a drain says {@code offline},
 * and no scheduled one can overtake it.
 */
public final class HeartbeatLoop {

    private final Transport transport;
    private final SkillRegistry skills;
    private final CapacitySlots slots;
    private final TaskExecutor executor;
    private final HostTelemetry telemetry;
    private final Registrar registrar;
    private final ConnectionState connection;
    private final Clock clock;
    private final Object sending = new Object();
    private ScheduledFuture<?> schedule;
    private volatile ScheduledExecutorService timers;
    private volatile boolean draining;
    private boolean finished;

    public HeartbeatLoop(Transport transport, SkillRegistry skills, CapacitySlots slots, TaskExecutor executor,
            HostTelemetry telemetry, Registrar registrar, ConnectionState connection, Clock clock) {
        this.transport = transport;
        this.skills = skills;
        this.slots = slots;
        this.executor = executor;
        this.telemetry = telemetry;
        this.registrar = registrar;
        this.connection = connection;
        this.clock = clock;
        registrar.onRegistered(response -> afterRegistration());
    }

    public void start(ScheduledExecutorService timers, Duration interval) {
        this.timers = timers;
        synchronized (sending) {
            schedule = timers.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** From now on the status is {@code draining}, and one heartbeat says so at once. */
    public void drain() {
        draining = true;
        send(WorkerStatus.DRAINING.wire());
    }

    /** Stops the schedule, waits for a heartbeat in flight, then sends {@code offline} as the very last one. */
    public void finish() {
        synchronized (sending) {
            if (schedule != null) {
                schedule.cancel(false);
            }
            sendLocked(WorkerStatus.OFFLINE.wire());
            finished = true;
        }
    }

    /** One scheduled heartbeat; skipped until the worker has registered. */
    void beat() {
        if (!connection.isRegistered()) {
            return;
        }
        send(draining ? WorkerStatus.DRAINING.wire() : slots.status());
    }

    /** On the heartbeat thread, not the registering one: a slow orchestrator must not hold up registration. */
    private void afterRegistration() {
        ScheduledExecutorService executor = timers;
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> {
                if (connection.isRegistered()) {
                    send(draining ? WorkerStatus.DRAINING.wire() : slots.status(), true);
                }
            });
        } catch (RejectedExecutionException e) {
            Log.debug("worker is shutting down; no heartbeat after this registration");
        }
    }

    private void send(String status) {
        send(status, false);
    }

    private void send(String status, boolean justRegistered) {
        synchronized (sending) {
            if (!finished) {
                sendLocked(status, justRegistered);
            }
        }
    }

    private void sendLocked(String status) {
        sendLocked(status, false);
    }

    /**
     * {@code justRegistered}: a full sync just happened, so a {@code require_full_sync} in this
     * answer is not acted on (an orchestrator that asks for it on every heartbeat would otherwise
     * get a registration storm instead of one per interval).
     */
    private void sendLocked(String status, boolean justRegistered) {
        try {
            Optional<HeartbeatResponse> response = transport.sendHeartbeat(heartbeat(status));
            connection.contactSucceeded();
            if (response.isEmpty()) {
                registrar.requestRegistration("the orchestrator does not know this worker");
                return;
            }
            if (response.get().fullSyncRequested() && !justRegistered && !WorkerStatus.OFFLINE.is(status)) {
                registrar.requestRegistration("the orchestrator asked for a full sync");
            }
            for (String taskId : response.get().cancelTaskIdsOrEmpty()) {
                if (executor.cancel(taskId)) {
                    Log.infof("orchestrator cancelled task %s in a heartbeat answer", taskId);
                }
            }
        } catch (RxonException e) {
            connection.contactFailed("heartbeat", e);
            if (isUnknownWorker(e) && !WorkerStatus.OFFLINE.is(status)) {
                registrar.requestRegistration("the heartbeat was refused: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            Log.warn("heartbeat failed unexpectedly", e);
        }
    }

    private Heartbeat heartbeat(String status) {
        boolean canStart = !draining && !WorkerStatus.OFFLINE.is(status)
                && slots.occupied() < slots.capacity();
        List<String> available = canStart ? skills.names() : List.of();
        return new Heartbeat(transport.workerId(), status, telemetry.sample(), executor.currentTaskIds(), null,
                available, null, skills.skillsHash(), null, null, clock.instant().getEpochSecond());
    }

    private static boolean isUnknownWorker(RxonException e) {
        return e instanceof RxonAuthException || e.httpStatus().filter(status -> status == 404).isPresent();
    }
}
