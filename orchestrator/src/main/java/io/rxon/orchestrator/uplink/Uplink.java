package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.blob.BlobStorage;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.job.JobLifecycle;
import io.rxon.orchestrator.job.JobService;
import io.rxon.orchestrator.job.WorkerEventAccepted;
import io.rxon.orchestrator.worker.WorkerRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The uplink to a parent orchestrator (docs/HOLARCHY.md), on when {@code RXON_PARENT_URL} is set:
 * this orchestrator is then a worker of its parent, with threads of its own: the lease that makes
 * one replica of a cluster its uplink ({@link UplinkLeadership}; the others only keep it in view),
 * heartbeats and registration ({@link ParentLink}), the long-poll for tasks ({@link TaskIntake},
 * paused while {@code RXON_PARENT_MAX_TASKS} parent tasks are held or while the parent pushes them
 * over the socket, {@link ParentSocket}), the result relay ({@link ResultRelay}) and the event relay
 * ({@link EventRelay}, which sends the spooled events). Everything it must not forget is in the
 * database, so a restart, or another replica taking over, picks up where it stopped.
 */
@ApplicationScoped
public class Uplink {

    private static final Duration RESULT_ROUND = Duration.ofMillis(500);
    private static final Duration IDLE_STEP = Duration.ofMillis(250);

    private final OrchestratorConfig config;
    private final WorkerRegistry registry;
    private final UplinkStatements statements;
    private final JobService jobs;
    private final ParentCancels cancels;
    private final Clock clock;
    private final UplinkEventStatements spool;
    private final UplinkLease lease;
    private final FleetStatements fleet;
    private final BlobStorage storage;
    private final BlobIntake blobs;
    private final String s3ConfigHash;
    private final String owner;
    private UplinkLeadership leadership;
    private final ExecutorService threads = Executors.newFixedThreadPool(5, runnable -> {
        Thread thread = new Thread(runnable, "rxon-uplink");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService socketWork = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rxon-uplink-socket");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private Transport transport;
    private ParentLink link;
    private TaskIntake intake;
    private ResultRelay results;
    private EventRelay events;
    private ParentSocket socket;

    public Uplink(OrchestratorConfig config, WorkerRegistry registry, UplinkStatements statements,
            UplinkEventStatements spool, FleetStatements fleet, UplinkLease lease, JobService jobs,
            JobLifecycle lifecycle, BlobStorage storage, Pool pool, Clock clock,
            @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.application_name") String owner) {
        this.config = config;
        this.lease = lease;
        this.fleet = fleet;
        this.owner = owner;
        this.registry = registry;
        this.statements = statements;
        this.spool = spool;
        this.jobs = jobs;
        this.cancels = new ParentCancels(statements, lifecycle);
        this.storage = storage;
        this.blobs = new BlobIntake(storage, pool, clock);
        // the parent compares it with its own to know whether this orchestrator reads its blobs (BlobHandover)
        this.s3ConfigHash = storage.configHash().orElse(null);
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
        results = new ResultRelay(transport, statements, new BlobHandup(transport, storage), clock);
        intake = new TaskIntake(statements, new HolarchyGuard(workerId, parent.maxDepth()), jobs, results, blobs,
                clock);
        if (transport.socketPreferred()) {
            socket = new ParentSocket(transport, () -> parent.maxTasks() - statements.open().size(),
                    pushed -> intake.accept(pushed, true),
                    cancels::cancel, socketWork);
        }
        link = new ParentLink(transport, registry, statements, fleet, clock, config.timing().livenessTimeout(),
                ParentTransport.hostname(), socket != null, s3ConfigHash, answer -> {
                    if (socket != null) {
                        socket.registered(answer);
                    }
                });
        // events go over HTTP even when the parent's URL asks for the socket: each is answered before it is deleted
        events = new EventRelay(ParentTransport.create(ParentTransport.overHttp(url.get()), workerId, parent), spool,
                clock);
        running = true;
        leadership = new UplinkLeadership(lease, workerId, owner, () -> {
            link.forget();
            if (socket != null) {
                socket.close();
            }
        });
        transport.connect();
        spawn("holding the uplink's lease", this::holdLease);
        spawn("heartbeats to the parent", led(this::beat));
        spawn("polling the parent", led(this::pollOnce));
        spawn("sending results to the parent", led(this::relayResults));
        spawn("sending events to the parent", led(this::relayEvents));
        Log.infof("uplink to the parent orchestrator at %s as worker %s", url.get(), workerId);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        threads.shutdownNow();
        leadership.release();
        socketWork.shutdownNow();
        if (socket != null) {
            socket.close();
        }
        transport.close();
        events.close();
    }

    /** An event was stored (and spooled, if its job runs a parent task): the event relay need not wait. */
    void onWorkerEvent(@Observes WorkerEventAccepted accepted) {
        if (running) {
            events.wake();
        }
    }

    /** Whether this orchestrator has a parent and is registered with it. */
    public boolean isRegistered() {
        return running && link.isRegistered();
    }

    private void holdLease() {
        leadership.renew();
        UplinkLoops.sleep(UplinkLeadership.LEASE.dividedBy(3));
    }

    private void spawn(String what, Runnable step) {
        threads.submit(() -> UplinkLoops.run(() -> running, what, step));
    }

    /** {@code step} while this replica holds the uplink; a short rest otherwise. */
    private Runnable led(Runnable step) {
        return () -> {
            if (leadership.isLeading()) {
                step.run();
            } else {
                UplinkLoops.sleep(IDLE_STEP);
            }
        };
    }

    private void beat() {
        if (!link.isRegistered()) {
            link.registerIfChanged();
        }
        link.heartbeat(cancels::cancel);
        if (socket != null) {
            socket.topUp();
        }
        UplinkLoops.sleep(config.parent().heartbeatInterval());
    }

    private void pollOnce() {
        if (!link.isRegistered() || (socket != null && socket.isPushing())
                || statements.open().size() >= config.parent().maxTasks()) {
            UplinkLoops.sleep(IDLE_STEP);
            return;
        }
        Optional<TaskPayload> task = transport.pollTask(config.parent().pollTimeout(), link.skillNames(), null);
        task.ifPresent(polled -> intake.accept(polled, false));
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
        if (results.relay() > 0 && socket != null) {
            // a held task is done: the parent may push another
            socket.topUp();
        }
        try {
            results.await(RESULT_ROUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
