package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.transport.SocketSession;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the orchestrator stops answering on a push socket (credits or a result not acknowledged in
 * time): back to long-poll at once, on a socket reopened without push (so the orchestrator forgets
 * the credits it will not honour), and push tried again after {@link #PUSH_RETRY}.
 */
final class PushSilence {

    /** After the orchestrator went silent on push: how long the worker stays on long-poll before trying again. */
    static final Duration PUSH_RETRY = Duration.ofSeconds(60);

    /** Opens a socket: {@code push} its mode, {@code force} even if one of that mode is in use. */
    interface Opener {
        void open(boolean push, boolean force);
    }

    private final PushMachine machine;
    private final ScheduledExecutorService timers;
    private final Opener opener;

    PushSilence(PushMachine machine, ScheduledExecutorService timers, Opener opener) {
        this.machine = machine;
        this.timers = timers;
        this.opener = opener;
    }

    /** {@code what} went unanswered on {@code target}; ignored unless push runs on that very socket. */
    void unanswered(PushChannel channel, SocketSession target, String what) {
        if (!machine.pushingOn(channel, target)) {
            return;
        }
        Log.warnf("the orchestrator did not answer %s within the ack timeout; long-polling, push again in %s s",
                what, PUSH_RETRY.toSeconds());
        opener.open(false, true);
        try {
            timers.schedule(this::retryPush, PUSH_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            Log.debug("worker is shutting down; push is not tried again");
        }
    }

    private void retryPush() {
        if (machine.shouldRetryPush()) {
            Log.info("trying push dispatch again");
            opener.open(true, false);
        }
    }
}
