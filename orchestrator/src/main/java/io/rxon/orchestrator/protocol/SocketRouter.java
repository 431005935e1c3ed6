package io.rxon.orchestrator.protocol;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.orchestrator.cluster.PeerCommand;
import io.rxon.orchestrator.cluster.PeerSocketOpened;
import io.rxon.orchestrator.cluster.WorkerChannels;
import io.rxon.orchestrator.job.CancelRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gets commands to a worker's socket on whichever replica holds it, and keeps one socket per
 * worker across replicas. A command (a cancel) goes down the socket when it is open here
 * (PROTOCOL.md §11.5), else to the other replicas ({@link WorkerChannels}), where the one holding
 * the socket sends it; without a socket anywhere the next heartbeat's {@code cancel_task_ids}
 * carries it. A socket opening here is announced with its generation (microseconds of this
 * replica's clock, unique here): a replica holding an older socket of the worker closes it with
 * 1008, as a newer socket on the same replica does.
 */
@ApplicationScoped
public class SocketRouter {

    /** One open socket here: how to send it a command, and how to close it as replaced. */
    public record LocalSocket(long generation, Consumer<WorkerCommand> sender, Runnable replaced) {}

    private final Map<String, LocalSocket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong lastGeneration = new AtomicLong();
    private final WorkerChannels channels;
    private final String instance;

    public SocketRouter(WorkerChannels channels,
            @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.application_name")
                    String instance) {
        this.channels = channels;
        this.instance = instance;
    }

    /**
     * A new socket's generation, taken when its upgrade is accepted: this replica's clock in
     * microseconds, strictly increasing here.
     */
    public long nextGeneration() {
        long now = System.currentTimeMillis() * 1000;
        return lastGeneration.updateAndGet(last -> Math.max(last + 1, now));
    }

    /** Called by the socket endpoint when a worker's socket opens; the others hear of it. */
    public void attach(String workerId, LocalSocket socket) {
        sockets.put(workerId, socket);
        channels.socketOpened(workerId, socket.generation());
    }

    public void detach(String workerId, LocalSocket socket) {
        sockets.remove(workerId, socket);
    }

    /** A committed cancellation of a running task (the job lifecycle's {@link CancelRequested}). */
    void onCancel(@Observes CancelRequested cancel) {
        send(cancel.workerId(), WorkerCommand.cancelTask(cancel.jobId(), cancel.taskId()));
    }

    /** Sends a command to the worker's socket, here or on the replica holding it. */
    public void send(String workerId, WorkerCommand command) {
        LocalSocket socket = sockets.get(workerId);
        if (socket != null) {
            socket.sender().accept(command);
        } else {
            channels.command(workerId, command);
        }
    }

    /** Another replica routes a command to the worker's socket: sent when the socket is here. */
    void onPeerCommand(@Observes PeerCommand command) {
        LocalSocket socket = sockets.get(command.workerId());
        if (socket != null) {
            socket.sender().accept(command.command());
        }
    }

    /** The worker opened a socket on another replica: ours, if older, is replaced. */
    void onPeerSocket(@Observes PeerSocketOpened opened) {
        LocalSocket socket = sockets.get(opened.workerId());
        if (socket != null && opened.isNewerThan(socket.generation(), instance) && sockets.remove(opened.workerId(),
                socket)) {
            Log.infof("worker %s opened a newer socket on %s; closing the one here", opened.workerId(),
                    opened.instance());
            socket.replaced().run();
        }
    }
}
