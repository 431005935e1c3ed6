package io.rxon.orchestrator.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one socket each worker holds here: the newest by generation, the order in which their
 * upgrades were accepted. Two sockets of a worker are upgraded on different event loops and their
 * {@code @OnOpen} callbacks run on worker threads, so the older one's callback may run last; it must
 * then not take the place of the newer one. Opens and closes are rare (one per connection), so a
 * single lock keeps each decision and the start of the kept socket together.
 *
 * @param <S> what is held for an open socket
 */
final class NewestSockets<S> {

    /**
     * What offering a socket decided.
     *
     * @param kept whether the offered socket is now the worker's socket; false when a newer one is held
     * @param displaced the older socket it took the place of, which must close; null if none
     */
    record Opened<S>(boolean kept, S displaced) {}

    private record Held<S>(long generation, S socket) {}

    private final Map<String, Held<S>> held = new HashMap<>();

    /**
     * Offers the socket the worker opened with {@code generation}: unless a newer one is held, it is
     * started ({@code start}, under the lock, so no older socket can start after it) and held.
     */
    synchronized Opened<S> open(String workerId, long generation, Supplier<S> start) {
        Held<S> current = held.get(workerId);
        if (current != null && current.generation() > generation) {
            return new Opened<>(false, null);
        }
        held.put(workerId, new Held<>(generation, start.get()));
        return new Opened<>(true, current == null ? null : current.socket());
    }

    /** The worker's socket here, if it has one. */
    synchronized Optional<S> get(String workerId) {
        return Optional.ofNullable(held.get(workerId)).map(Held::socket);
    }

    /** Forgets the socket if it is still the worker's one; true if it was. */
    synchronized boolean remove(String workerId, S socket) {
        Held<S> current = held.get(workerId);
        if (current == null || current.socket() != socket) {
            return false;
        }
        held.remove(workerId);
        return true;
    }
}
