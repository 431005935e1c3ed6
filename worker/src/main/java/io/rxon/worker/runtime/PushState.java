package io.rxon.worker.runtime;

import io.rxon.common.transport.SocketSession;
import java.util.Optional;

/**
 * Where the worker's socket channel stands (docs/PUSH_DISPATCH.md). Each state is a record, and a
 * transition is a method that exists only on the states it may leave, so an illegal move does not
 * compile:
 *
 * <pre>
 * Closed ──open──▶ Connecting ──connected──▶ Connected (commands and events; tasks by long-poll)
 *                      ▲   └──connected (push)──▶ Pushing ──refused──▶ Refused
 *                      └────────── disconnected ◀─────┴───────────────────┘
 * any state ──open (a new socket)──▶ Connecting        any state ──stop──▶ Stopped (final)
 * </pre>
 *
 * Opening a new socket is allowed from every state but {@link Stopped}; the socket it replaces is
 * closed by the caller. Events of a replaced socket find another {@link PushChannel} in the state
 * and are ignored ({@link #on}).
 */
sealed interface PushState {

    /** Whether the worker still runs its socket channel. */
    default boolean isRunning() {
        return true;
    }

    /** The socket this state is about, if any. */
    default Optional<PushChannel> channel() {
        return Optional.empty();
    }

    /** The session while connected, if any. */
    default Optional<SocketSession> session() {
        return Optional.empty();
    }

    /** Whether {@code channel} is the socket of this state (events of older sockets are ignored). */
    default boolean on(PushChannel channel) {
        return channel().filter(current -> current == channel).isPresent();
    }

    /** Whether tasks come over the socket now. */
    default boolean isPushing() {
        return false;
    }

    /** A state a new socket may be opened from (every state but {@link Stopped}). */
    sealed interface Reopenable extends PushState {
        default Connecting open(PushChannel fresh) {
            return new Connecting(fresh);
        }
    }

    /** A state whose socket is connected: it may drop. */
    sealed interface Live extends Reopenable {
        PushChannel socket();

        SocketSession connection();

        @Override
        default Optional<PushChannel> channel() {
            return Optional.of(socket());
        }

        @Override
        default Optional<SocketSession> session() {
            return Optional.of(connection());
        }

        /** The socket dropped; the transport reconnects it by itself. */
        default Connecting disconnected() {
            return new Connecting(socket());
        }
    }

    /** No socket yet: before the first registration, or with the socket channel turned off. */
    record Closed() implements Reopenable {}

    /** A socket was asked for (or dropped) and is not connected yet. */
    record Connecting(PushChannel socket) implements Reopenable {
        @Override
        public Optional<PushChannel> channel() {
            return Optional.of(socket);
        }

        /** Connected: with push when this socket was opened for it, else for commands and events only. */
        Live connected(SocketSession session) {
            return socket.push() ? new Pushing(socket, session) : new Connected(socket, session);
        }
    }

    /** Connected without push: commands and events flow, tasks come by long-poll. */
    record Connected(PushChannel socket, SocketSession connection) implements Live {}

    /** Connected with push on: the worker's free slots are credits at the orchestrator. */
    record Pushing(PushChannel socket, SocketSession connection) implements Live {
        @Override
        public boolean isPushing() {
            return connection.isOpen();
        }

        /** The orchestrator refused push on this socket: back to long-poll until a registration reopens it. */
        Refused refused() {
            return new Refused(socket, connection);
        }
    }

    /** Push was refused on this socket; it stays open for commands and events until replaced. */
    record Refused(PushChannel socket, SocketSession connection) implements Live {}

    /** The worker stopped taking pushed work; nothing leaves this state. */
    record Stopped() implements PushState {
        @Override
        public boolean isRunning() {
            return false;
        }
    }
}
