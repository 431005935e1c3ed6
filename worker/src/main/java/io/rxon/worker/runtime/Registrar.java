package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.Transport;
import io.rxon.worker.host.WorkerProfile;
import io.rxon.worker.skill.SkillRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Registers the worker (PROTOCOL.md §4.6): its profile, skills with their schemas and the skills
 * hash. Retried forever with capped exponential backoff plus jitter, honouring
 * {@code Retry-After}, until it succeeds or the worker stops; repeated whenever the orchestrator
 * asks for a full sync or shows it has forgotten the worker. Requests made while a registration
 * is under way are folded into it.
 */
public final class Registrar {

    private final Transport transport;
    private final WorkerProfile profile;
    private final SkillRegistry skills;
    private final ConnectionState connection;
    private final Clock clock;
    private final RuntimeSettings settings;
    private final StopSignal stop;
    private final Executor control;
    private final AtomicBoolean inProgress = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicInteger registrations = new AtomicInteger();
    private final CountDownLatch firstRegistration = new CountDownLatch(1);
    private final List<Consumer<RegistrationResponse>> listeners = new CopyOnWriteArrayList<>();

    /** @param control runs registrations in the background */
    public Registrar(Transport transport, WorkerProfile profile, SkillRegistry skills, ConnectionState connection,
            Clock clock, RuntimeSettings settings, StopSignal stop, Executor control) {
        this.transport = transport;
        this.profile = profile;
        this.skills = skills;
        this.connection = connection;
        this.clock = clock;
        this.settings = settings;
        this.stop = stop;
        this.control = control;
    }

    /** Runs after every successful registration, on the registering thread, with the orchestrator's answer. */
    public void onRegistered(Consumer<RegistrationResponse> listener) {
        listeners.add(listener);
    }

    /** Registers in the background (again, if already registered); folded into one under way. */
    public void requestRegistration(String reason) {
        if (stop.isStopped()) {
            return;
        }
        if (!inProgress.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        Log.infof("registering with the orchestrator (%s)", reason);
        control.execute(this::registerInBackground);
    }

    /** Waits for the first successful registration; false when {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) {
        try {
            return firstRegistration.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Successful registrations so far. */
    public int registrations() {
        return registrations.get();
    }

    /** The registration message as it is sent now. */
    public WorkerRegistration registration() {
        return new WorkerRegistration(transport.workerId(), profile.workerType(), skills.catalogue(), skills.names(),
                null, profile.resources(), profile.installedSoftware().isEmpty() ? null : profile.installedSoftware(),
                profile.installedArtifacts().isEmpty() ? null : profile.installedArtifacts(),
                capabilities(), skills.skillsHash(), null, null, clock.instant().getEpochSecond());
    }

    /**
     * The profile's capabilities plus what the runtime offers: {@code extra.websockets} (as the
     * reference SDK reports its socket) and, only when on, {@code extra.push_dispatch}.
     */
    private WorkerCapabilities capabilities() {
        WorkerCapabilities declared = profile.capabilities() == null
                ? new WorkerCapabilities(null, null, null, null, null)
                : profile.capabilities();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (declared.extra() != null) {
            extra.putAll(declared.extra());
        }
        extra.put(Protocol.EXTRA_WEBSOCKETS, settings.socket());
        if (settings.pushDispatch()) {
            extra.put(Protocol.EXTRA_PUSH_DISPATCH, true);
        } else {
            extra.remove(Protocol.EXTRA_PUSH_DISPATCH);
        }
        return new WorkerCapabilities(declared.hostname(), declared.ipAddress(), declared.costPerSkill(),
                declared.s3ConfigHash(), extra);
    }

    private void registerInBackground() {
        do {
            again.set(false);
            try {
                registerUntilAccepted();
            } finally {
                inProgress.set(false);
            }
        } while (again.get() && !stop.isStopped() && inProgress.compareAndSet(false, true));
    }

    /** Tries until the orchestrator accepts the registration; false when the worker stopped first. */
    boolean registerUntilAccepted() {
        RetryBackoff backoff = settings.newBackoff();
        while (!stop.isStopped()) {
            try {
                RegistrationResponse response = transport.register(registration());
                connection.contactSucceeded();
                connection.registered();
                int count = registrations.incrementAndGet();
                firstRegistration.countDown();
                Log.infof("registered as %s with skills %s (%s)", transport.workerId(), skills.names(),
                        count == 1 ? "first registration" : "registration #" + count);
                response.warningText().ifPresent(warning -> Log.warnf("orchestrator warning: %s", warning));
                listeners.forEach(listener -> runSafely(listener, response));
                return true;
            } catch (RuntimeException e) {
                if (stop.isStopped()) {
                    break;
                }
                connection.contactFailed("registration with the orchestrator", e);
                Duration wait = backoff.next(e);
                Log.debugf("next registration attempt in %d ms", wait.toMillis());
                stop.pause(wait);
            }
        }
        return false;
    }

    private static void runSafely(Consumer<RegistrationResponse> listener, RegistrationResponse response) {
        try {
            listener.accept(response);
        } catch (RuntimeException e) {
            Log.warn("a registration listener failed", e);
        }
    }
}
