package io.rxon.worker.runtime;

import io.rxon.common.transport.SocketSession;
import io.rxon.worker.task.CapacitySlots;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@link PushState} of a worker's socket channel and the credits it holds, behind one lock.
 * Each method is one transition, taken only from the states that allow it (an event of a replaced
 * socket changes nothing), and hands back what the caller must release or close outside the lock.
 */
final class PushMachine {

    /** A socket to open in place of {@code previous}, whose credits are {@code returned}. */
    record Reopening(Optional<PushChannel> previous, List<CapacitySlots.Permit> returned) {}

    /** A socket that connected: {@code granted} credits to announce, {@code reconnect} if it was up before. */
    record Connection(int granted, boolean reconnect) {}

    private final CapacitySlots slots;
    private final PushCredits credits = new PushCredits();
    private PushState state = new PushState.Closed();
    private boolean negotiated;
    private boolean connectedBefore;

    PushMachine(CapacitySlots slots) {
        this.slots = slots;
    }

    /** What the last registration agreed: the mode a socket is reopened in after a silence. */
    synchronized void negotiated(boolean push) {
        negotiated = push;
    }

    /** Opens {@code fresh} unless stopped, or (without {@code force}) a socket of its mode is in use. */
    synchronized Optional<Reopening> open(PushChannel fresh, boolean force) {
        boolean sameMode = state.channel().filter(channel -> channel.push() == fresh.push()).isPresent()
                && !(state instanceof PushState.Refused);
        if (!(state instanceof PushState.Reopenable from) || !force && sameMode) {
            return Optional.empty();
        }
        Reopening reopening = new Reopening(state.channel(), credits.takeAll());
        moveTo(from.open(fresh));
        return Optional.of(reopening);
    }

    /** Whether {@code fresh} is still the socket wanted once opened (a concurrent open may have replaced it). */
    synchronized boolean wanted(PushChannel fresh) {
        return state.on(fresh);
    }

    synchronized Optional<Connection> connected(PushChannel channel, SocketSession session) {
        if (!(state instanceof PushState.Connecting connecting) || !connecting.on(channel)) {
            return Optional.empty();
        }
        boolean reconnect = connectedBefore;
        connectedBefore = true;
        moveTo(connecting.connected(session));
        return Optional.of(new Connection(channel.push() ? credits.reserveAll(slots) : 0, reconnect));
    }

    /** The socket dropped (it reconnects by itself): its credits are returned. */
    synchronized Optional<List<CapacitySlots.Permit>> disconnected(PushChannel channel) {
        if (!state.on(channel)) {
            return Optional.empty();
        }
        if (state instanceof PushState.Live live) {
            moveTo(live.disconnected());
        }
        return Optional.of(credits.takeAll());
    }

    /** The orchestrator refused push on the socket: its credits are returned. */
    synchronized Optional<List<CapacitySlots.Permit>> refused(PushChannel channel) {
        if (!(state instanceof PushState.Pushing pushing) || !pushing.on(channel)) {
            return Optional.empty();
        }
        moveTo(pushing.refused());
        return Optional.of(credits.takeAll());
    }

    /** Stops for good: the socket to close and the credits to return. */
    synchronized Reopening stop() {
        Reopening closing = new Reopening(state.channel(), credits.takeAll());
        moveTo(new PushState.Stopped());
        return closing;
    }

    /** A slot was freed: while pushing, it is reserved as a credit; returns where to grant it. */
    synchronized Optional<PushState.Pushing> slotFreed() {
        return state instanceof PushState.Pushing pushing && credits.reserveOne(slots)
                ? Optional.of(pushing) : Optional.empty();
    }

    synchronized Optional<CapacitySlots.Permit> takeCredit() {
        return credits.take();
    }

    /** Credits that could not be written are returned, unless the socket is gone (which returned them). */
    synchronized List<CapacitySlots.Permit> creditsLost(PushChannel channel, int count) {
        return state instanceof PushState.Live live && live.on(channel) ? credits.takeLast(count) : List.of();
    }

    /** Whether {@code target} is the session of the socket push runs on now. */
    synchronized boolean pushingOn(PushChannel channel, SocketSession target) {
        return state instanceof PushState.Pushing pushing && pushing.socket() == channel
                && pushing.connection() == target;
    }

    /** After a silence: push is tried again only if agreed, still running, and on a socket without push. */
    synchronized boolean shouldRetryPush() {
        return negotiated && state.channel().filter(channel -> !channel.push()).isPresent();
    }

    synchronized Optional<PushChannel> channel() {
        return state.channel();
    }

    synchronized boolean isPushing() {
        return state.isPushing();
    }

    synchronized Optional<SocketSession> pushSession() {
        return state.isPushing() ? state.session() : Optional.empty();
    }

    synchronized boolean isSocketOpen() {
        return state.session().filter(SocketSession::isOpen).isPresent();
    }

    /** Waits until push is no longer active, at most {@code timeout}. */
    synchronized void awaitNotPushing(Duration timeout) {
        if (state.isPushing()) {
            try {
                wait(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every state change wakes whoever waits for push to end. */
    private void moveTo(PushState next) {
        state = next;
        notifyAll();
    }
}
