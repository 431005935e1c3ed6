package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
 * database, so a restart, or another replica taking over, picks up where it stopped. This bean
 * builds those parts; {@link RunningUplink} runs and stops them.
 */
@ApplicationScoped
public class Uplink {

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
    private final ExecutorService socketWork = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rxon-uplink-socket");
        thread.setDaemon(true);
        return thread;
    });
    /** Null while there is no parent (or before startup). */
    private volatile RunningUplink running;

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
        running = new RunningUplink(parts(url.get(), workerId, parent), parent, statements, cancels, socketWork);
        running.start();
        Log.infof("uplink to the parent orchestrator at %s as worker %s", url.get(), workerId);
    }

    void stop(@Observes ShutdownEvent event) {
        RunningUplink uplink = running;
        if (uplink != null) {
            uplink.stop();
        }
    }

    /** An event was stored (and spooled, if its job runs a parent task): the event relay need not wait. */
    void onWorkerEvent(@Observes WorkerEventAccepted accepted) {
        RunningUplink uplink = running;
        if (uplink != null) {
            uplink.wakeEvents();
        }
    }

    /** Whether this orchestrator has a parent and is registered with it. */
    public boolean isRegistered() {
        RunningUplink uplink = running;
        return uplink != null && uplink.isRegistered();
    }

    private RunningUplink.Parts parts(String url, String workerId, OrchestratorConfig.Parent parent) {
        Transport transport = ParentTransport.create(url, workerId, parent);
        ResultRelay results = new ResultRelay(transport, statements, new BlobHandup(transport, storage), clock);
        TaskIntake intake = new TaskIntake(statements, new HolarchyGuard(workerId, parent.maxDepth()), jobs, results,
                blobs, clock);
        ParentSocket socket = !transport.socketPreferred() ? null
                : new ParentSocket(transport, () -> parent.maxTasks() - statements.open().size(),
                        pushed -> intake.accept(pushed, true), cancels::cancel, socketWork);
        ParentLink link = new ParentLink(transport, registry, statements, fleet, clock,
                config.timing().livenessTimeout(), ParentTransport.hostname(), socket != null, s3ConfigHash,
                answer -> {
                    if (socket != null) {
                        socket.registered(answer);
                    }
                });
        // events go over HTTP even when the parent's URL asks for the socket: each is answered before it is deleted
        EventRelay events = new EventRelay(ParentTransport.create(ParentTransport.overHttp(url), workerId, parent),
                spool, clock);
        UplinkLeadership leadership = new UplinkLeadership(lease, workerId, owner, () -> {
            link.forget();
            if (socket != null) {
                socket.close();
            }
        });
        return new RunningUplink.Parts(transport, link, intake, results, events, socket, leadership);
    }
}
