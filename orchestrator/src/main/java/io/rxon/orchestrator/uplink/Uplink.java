package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.job.JobLifecycle;
import io.rxon.orchestrator.job.JobService;
import io.rxon.orchestrator.job.WorkerEventAccepted;
import io.rxon.orchestrator.worker.WorkerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The uplink to a parent orchestrator (docs/HOLARCHY.md), on when {@code RXON_PARENT_URL} is set:
 * this orchestrator is then a worker of its parent, with four threads of its own: heartbeats and
 * registration ({@link ParentLink}), the long-poll for tasks ({@link TaskIntake}, paused while
 * {@code RXON_PARENT_MAX_TASKS} parent tasks are held), the result relay ({@link ResultRelay}) and
 * the event relay ({@link EventRelay}, which sends the spooled events). Everything it must not forget is in the database, so a
 * restart picks up where it stopped.
 */
@ApplicationScoped
public class Uplink {

    private static final Duration RESULT_ROUND = Duration.ofMillis(500);
    private static final Duration IDLE_STEP = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final OrchestratorConfig config;
    private final WorkerRegistry registry;
    private final UplinkStatements statements;
    private final JobService jobs;
    private final JobLifecycle lifecycle;
    private final Clock clock;
    private final UplinkEventStatements spool;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "rxon-uplink");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private Transport transport;
    private ParentLink link;
    private TaskIntake intake;
    private ResultRelay results;
    private EventRelay events;

    public Uplink(OrchestratorConfig config, WorkerRegistry registry, UplinkStatements statements,
            UplinkEventStatements spool, JobService jobs, JobLifecycle lifecycle, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.statements = statements;
        this.spool = spool;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        Optional<String> url = config.parent().url();
        if (url.isEmpty()) {
            return;
        }
        OrchestratorConfig.Parent parent = config.parent();
        String workerId = parent.workerId().orElseThrow(() -> new IllegalStateException(
                "RXON_PARENT_URL is set, RXON_PARENT_WORKER_ID is not: the parent needs to know who this is"));
        transport = ParentTransport.create(url.get(), workerId, parent);
        link = new ParentLink(transport, registry, statements, clock, config.timing().livenessTimeout(),
                ParentTransport.hostname());
        results = new ResultRelay(transport, statements, clock);
        intake = new TaskIntake(statements, new HolarchyGuard(workerId, parent.maxDepth()), jobs, results, clock);
        // events go over HTTP even when the parent's URL asks for the socket: each one is then answered before it is deleted
        events = new EventRelay(ParentTransport.create(ParentTransport.overHttp(url.get()), workerId, parent), spool,
                clock);
        running = true;
        transport.connect();
        threads.submit(() -> loop("heartbeats to the parent", this::beat));
        threads.submit(() -> loop("polling the parent", this::pollOnce));
        threads.submit(() -> loop("sending results to the parent", this::relayResults));
        threads.submit(() -> loop("sending events to the parent", this::relayEvents));
        Log.infof("uplink to the parent orchestrator at %s as worker %s", url.get(), workerId);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        threads.shutdownNow();
        transport.close();
        events.close();
    }

    /** An event was stored (and, if its job runs a parent task, spooled): the event relay need not wait for its round. */
    void onWorkerEvent(@Observes WorkerEventAccepted accepted) {
        if (running) {
            events.wake();
        }
    }

    /** Whether this orchestrator has a parent and is registered with it. */
    public boolean isRegistered() {
        return running && link.isRegistered();
    }

    private void beat() {
        if (!link.isRegistered()) {
            link.registerIfChanged();
        }
        link.heartbeat(this::cancel);
        sleep(config.parent().heartbeatInterval());
    }

    private void pollOnce() {
        if (!link.isRegistered() || statements.open().size() >= config.parent().maxTasks()) {
            sleep(IDLE_STEP);
            return;
        }
        Optional<TaskPayload> task = transport.pollTask(config.parent().pollTimeout(), link.skillNames(), null);
        task.ifPresent(intake::accept);
    }

    private void relayEvents() {
        if (events.relay() > 0) {
            // a result waits until its job's events are up
            results.wake();
        }
        try {
            events.await(RESULT_ROUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void relayResults() {
        results.relay();
        try {
            results.await(RESULT_ROUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The parent cancelled one of its tasks: the local job is cancelled, and with it the leaf's task. */
    private void cancel(String parentTaskId) {
        statements.find(parentTaskId).flatMap(UplinkStatements.Link::localJobId).ifPresent(localJobId -> {
            if (statements.isShared(localJobId, parentTaskId)) {
                // an expired attempt is cancelled while its re-dispatch, which joined the same local job, still needs it
                Log.debugf("the parent cancelled task %s; local job %s stays for another of its tasks", parentTaskId,
                        localJobId);
                return;
            }
            try {
                VertxContextSupport.subscribeAndAwait(() -> lifecycle.cancel(TaskIntake.PARENT_CLIENT, localJobId));
                Log.infof("the parent cancelled task %s: local job %s cancelled", parentTaskId, localJobId);
            } catch (ConflictException | ResourceNotFoundException e) {
                Log.debugf("the parent cancelled task %s; local job %s: %s", parentTaskId, localJobId, e.getMessage());
            } catch (Throwable e) {
                Log.warnf(e, "could not cancel local job %s of parent task %s", localJobId, parentTaskId);
            }
        });
    }

    /** Runs {@code step} until shutdown; a failing step backs off (doubling up to 30 s) and is logged once per streak. */
    private void loop(String what, Runnable step) {
        int failures = 0;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                if (failures > 0) {
                    Log.infof("%s works again", what);
                }
                failures = 0;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (failures++ == 0) {
                    Log.warnf("%s failed (retrying with backoff): %s", what, e.getMessage());
                }
                sleep(Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures, 10))));
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
