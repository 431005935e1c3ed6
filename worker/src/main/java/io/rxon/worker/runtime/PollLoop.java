package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.worker.skill.SkillRegistry;
import io.rxon.worker.task.CapacitySlots;
import io.rxon.worker.task.TaskExecutor;
import java.time.Duration;
import java.util.Optional;

/**
 * The long-poll path for tasks: only while a slot is free (it reserves the slot first and the
 * task that arrives occupies it), passing the skills it can start, and only while push dispatch
 * is not active. Failed polls back off with jitter and honour {@code Retry-After}; an empty poll
 * gives its slot back at once, so push dispatch can turn it into a credit.
 */
public final class PollLoop {

    private static final Duration WAIT_STEP = Duration.ofMillis(250);

    private final Transport transport;
    private final CapacitySlots slots;
    private final SkillRegistry skills;
    private final TaskExecutor executor;
    private final PushDispatch push;
    private final Registrar registrar;
    private final ConnectionState connection;
    private final RuntimeSettings settings;
    private final StopSignal stop = new StopSignal();
    private final Thread thread;

    public PollLoop(Transport transport, CapacitySlots slots, SkillRegistry skills, TaskExecutor executor,
            PushDispatch push, Registrar registrar, ConnectionState connection, RuntimeSettings settings) {
        this.transport = transport;
        this.slots = slots;
        this.skills = skills;
        this.executor = executor;
        this.push = push;
        this.registrar = registrar;
        this.connection = connection;
        this.settings = settings;
        this.thread = new Thread(this::run, "rxon-poll");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops polling; a poll in flight is abandoned (its task, if any, is re-dispatched after its lease). */
    public void stop(Duration timeout) {
        stop.stop();
        thread.interrupt();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        RetryBackoff backoff = settings.newBackoff();
        while (!stop.isStopped()) {
            if (!registrar.awaitRegistered(WAIT_STEP)) {
                continue;
            }
            if (push.isActive()) {
                push.awaitInactive(WAIT_STEP);
                continue;
            }
            Optional<CapacitySlots.Permit> permit;
            try {
                permit = slots.reserve(WAIT_STEP);
            } catch (InterruptedException e) {
                break;
            }
            permit.ifPresent(reserved -> pollOnce(reserved, backoff));
        }
        Log.debug("poll loop stopped");
    }

    private void pollOnce(CapacitySlots.Permit permit, RetryBackoff backoff) {
        boolean handedOver = false;
        try {
            Optional<TaskPayload> task = transport.pollTask(settings.pollTimeout(), skills.names(), null);
            connection.contactSucceeded();
            backoff.reset();
            if (task.isPresent()) {
                executor.start(task.get(), permit);
                handedOver = true;
            }
        } catch (RuntimeException e) {
            if (stop.isStopped()) {
                return;
            }
            connection.contactFailed("polling for tasks", e);
            Duration wait = backoff.next(e);
            permit.release();
            stop.pause(wait);
        } finally {
            if (!handedOver) {
                permit.release();
            }
        }
    }
}
