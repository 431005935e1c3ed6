package io.rxon.orchestrator.uplink;

import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An uplink once {@link Uplink} has wired it: its five loops, each on a thread of its own (the
 * lease; and, while this replica leads, heartbeats, the long-poll, the result relay and the event
 * relay), and the order in which it stops. Apart from {@link Uplink} so that the bean only decides
 * whether there is a parent and builds the parts, and nothing here can be half set up.
 */
final class RunningUplink {

    /**
     * The pieces an uplink talks to its parent with.
     *
     * @param socket null unless the parent's URL asks for the socket (push dispatch)
     */
    record Parts(Transport transport, ParentLink link, TaskIntake intake, ResultRelay results, EventRelay events,
            ParentSocket socket, UplinkLeadership leadership) {}

    private static final Duration RESULT_ROUND = Duration.ofMillis(500);
    private static final Duration IDLE_STEP = Duration.ofMillis(250);

    private final Parts parts;
    private final OrchestratorConfig.Parent parent;
    private final UplinkStatements statements;
    private final ParentCancels cancels;
    private final ExecutorService socketWork;
    private final ExecutorService threads = Executors.newFixedThreadPool(5, runnable -> {
        Thread thread = new Thread(runnable, "rxon-uplink");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running = true;

    /** @param socketWork the executor {@link ParentSocket} runs pushed tasks on; stopped with the uplink */
    RunningUplink(Parts parts, OrchestratorConfig.Parent parent, UplinkStatements statements, ParentCancels cancels,
            ExecutorService socketWork) {
        this.parts = parts;
        this.parent = parent;
        this.statements = statements;
        this.cancels = cancels;
        this.socketWork = socketWork;
    }

    void start() {
        parts.transport().connect();
        spawn("holding the uplink's lease", this::holdLease);
        spawn("heartbeats to the parent", led(this::beat));
        spawn("polling the parent", led(this::pollOnce));
        spawn("sending results to the parent", led(this::relayResults));
        spawn("sending events to the parent", led(this::relayEvents));
    }

    /** Loops first, so none talks to the parent while the lease is released and the channels close. */
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        threads.shutdownNow();
        parts.leadership().release();
        socketWork.shutdownNow();
        if (parts.socket() != null) {
            parts.socket().close();
        }
        parts.transport().close();
        parts.events().close();
    }

    /** An event was spooled: the event relay need not wait for its round. */
    void wakeEvents() {
        if (running) {
            parts.events().wake();
        }
    }

    boolean isRegistered() {
        return running && parts.link().isRegistered();
    }

    private void holdLease() {
        parts.leadership().renew();
        UplinkLoops.sleep(UplinkLeadership.LEASE.dividedBy(3));
    }

    private void spawn(String what, Runnable step) {
        threads.submit(() -> UplinkLoops.run(() -> running, what, step));
    }

    /** {@code step} while this replica holds the uplink; a short rest otherwise. */
    private Runnable led(Runnable step) {
        return () -> {
            if (parts.leadership().isLeading()) {
                step.run();
            } else {
                UplinkLoops.sleep(IDLE_STEP);
            }
        };
    }

    private void beat() {
        if (!parts.link().isRegistered()) {
            parts.link().registerIfChanged();
        }
        parts.link().heartbeat(cancels::cancel);
        if (parts.socket() != null) {
            parts.socket().topUp();
        }
        UplinkLoops.sleep(parent.heartbeatInterval());
    }

    private void pollOnce() {
        if (!parts.link().isRegistered() || (parts.socket() != null && parts.socket().isPushing())
                || statements.open().size() >= parent.maxTasks()) {
            UplinkLoops.sleep(IDLE_STEP);
            return;
        }
        Optional<TaskPayload> task = parts.transport().pollTask(parent.pollTimeout(), parts.link().skillNames(),
                null);
        task.ifPresent(polled -> parts.intake().accept(polled, false));
    }

    private void relayEvents() {
        if (parts.events().relay() > 0) {
            // a result waits until its job's events are up
            parts.results().wake();
        }
        try {
            parts.events().await(RESULT_ROUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void relayResults() {
        if (parts.results().relay() > 0 && parts.socket() != null) {
            // a held task is done: the parent may push another
            parts.socket().topUp();
        }
        try {
            parts.results().await(RESULT_ROUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
