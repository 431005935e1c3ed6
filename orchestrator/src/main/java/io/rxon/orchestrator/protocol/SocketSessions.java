package io.rxon.orchestrator.protocol;

import io.quarkus.websockets.next.WebSocketConnection;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.job.ClaimedTask;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the worker sockets open here hold, each for its own connection: its place in the
 * {@link SocketRouter} and, with push, its dispatcher handle (the credit balance). Only a worker's
 * newest socket holds anything ({@link NewestSockets}); a socket replaced, here or by a newer one on
 * another replica, lets go of its session at once. A frame arriving on it in its last moments
 * therefore finds no session of its own, and is never taken for the newer socket's.
 */
final class SocketSessions {

    /** What one open socket holds: its connection, its place in the router and, with push, its dispatcher handle. */
    record Session(WebSocketConnection connection, SocketRouter.LocalSocket routed, Dispatcher.PushHandle push) {}

    private final NewestSockets<Session> held = new NewestSockets<>();
    private final Dispatcher dispatcher;
    private final SocketRouter router;
    private final Consumer<WebSocketConnection> closeAsReplaced;

    SocketSessions(Dispatcher dispatcher, SocketRouter router, Consumer<WebSocketConnection> closeAsReplaced) {
        this.dispatcher = dispatcher;
        this.router = router;
        this.closeAsReplaced = closeAsReplaced;
    }

    /**
     * Holds the socket the worker opened with {@code generation}, unless a newer one is held: then
     * it is replaced already and false is returned. An older socket it takes the place of lets go of
     * its session and is closed as replaced.
     */
    boolean open(String workerId, long generation, WebSocketConnection connection, boolean push,
            Consumer<WorkerCommand> commands, Consumer<ClaimedTask> tasks) {
        SocketRouter.LocalSocket routed = new SocketRouter.LocalSocket(generation, commands, () -> {
            forget(workerId, connection);
            closeAsReplaced.accept(connection);
        });
        NewestSockets.Opened<Session> opened = held.open(workerId, generation, () -> {
            Dispatcher.PushHandle handle = push ? dispatcher.openPush(workerId, tasks) : null;
            router.attach(workerId, routed);
            return new Session(connection, routed, handle);
        });
        if (opened.kept() && opened.displaced() != null) {
            release(workerId, opened.displaced());
            closeAsReplaced.accept(opened.displaced().connection());
        }
        return opened.kept();
    }

    /** The session of this connection, if it is still its worker's socket here. */
    Optional<Session> of(String workerId, WebSocketConnection connection) {
        return held.get(workerId).filter(session -> session.connection() == connection);
    }

    /** Lets go of the worker's socket if it is this connection (not one that replaced it). */
    void forget(String workerId, WebSocketConnection connection) {
        of(workerId, connection).filter(session -> held.remove(workerId, session))
                .ifPresent(session -> release(workerId, session));
    }

    private void release(String workerId, Session session) {
        router.detach(workerId, session.routed());
        if (session.push() != null) {
            session.push().close();
        }
    }
}
