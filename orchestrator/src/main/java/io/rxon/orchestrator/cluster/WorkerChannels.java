package io.rxon.orchestrator.cluster;

import io.quarkus.logging.Log;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.WorkerCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * What replicas tell each other about workers, so that any replica serves any worker: a stored
 * registration or skill catalogue ({@value ClusterBroadcast#WORKERS}: {@code <name> <worker id>},
 * the others read the row again), a socket opened ({@value ClusterBroadcast#SOCKETS}:
 * {@code <name> <worker id> <generation>}, an older socket elsewhere closes) and a command for the
 * replica holding the worker's socket ({@value ClusterBroadcast#COMMANDS}:
 * {@code <name> <worker id> <command JSON>}). Sent only while there are peers
 * ({@link ClusterBroadcast}); received through {@link DatabaseNotifications} and fired as CDI events.
 */
@ApplicationScoped
public class WorkerChannels {

    private final ClusterBroadcast broadcast;
    private final Event<PeerWorkerChanged> workerChanged;
    private final Event<PeerSocketOpened> socketOpened;
    private final Event<PeerCommand> commands;

    public WorkerChannels(ClusterBroadcast broadcast, Event<PeerWorkerChanged> workerChanged,
            Event<PeerSocketOpened> socketOpened, Event<PeerCommand> commands) {
        this.broadcast = broadcast;
        this.workerChanged = workerChanged;
        this.socketOpened = socketOpened;
        this.commands = commands;
    }

    /** A registration or skill catalogue of this worker has committed here. */
    public void workerChanged(String workerId) {
        broadcast.notifyPeers(ClusterBroadcast.WORKERS, workerId);
    }

    /** A socket of this worker opened here at {@code generation}. */
    public void socketOpened(String workerId, long generation) {
        broadcast.notifyPeers(ClusterBroadcast.SOCKETS, workerId + " " + generation);
    }

    /** A command for a worker whose socket is not here: the replica holding it sends it. */
    public void command(String workerId, WorkerCommand command) {
        broadcast.notifyPeers(ClusterBroadcast.COMMANDS, workerId + " " + Json.writeString(command));
    }

    /** Whether commands can reach another replica at all. */
    public boolean hasPeers() {
        return broadcast.hasPeers();
    }

    void onWorkers(String payload) {
        String[] parts = othersParts(payload, 2);
        if (parts != null) {
            workerChanged.fire(new PeerWorkerChanged(parts[1]));
        }
    }

    void onSockets(String payload) {
        String[] parts = othersParts(payload, 3);
        if (parts != null) {
            try {
                socketOpened.fire(new PeerSocketOpened(parts[1], parts[0], Long.parseLong(parts[2])));
            } catch (NumberFormatException e) {
                Log.debugf("malformed socket notification ignored: %s", payload);
            }
        }
    }

    void onCommands(String payload) {
        String[] parts = othersParts(payload, 3);
        if (parts != null) {
            try {
                commands.fire(new PeerCommand(parts[1], Json.read(parts[2], WorkerCommand.class)));
            } catch (RuntimeException e) {
                Log.debugf("malformed command notification ignored: %s", payload);
            }
        }
    }

    /** The space-separated parts of another replica's notification; null for our own or a malformed one. */
    private String[] othersParts(String payload, int count) {
        String[] parts = payload.split(" ", count);
        return parts.length == count && !parts[0].equals(broadcast.instance()) ? parts : null;
    }
}
