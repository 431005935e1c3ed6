package io.rxon.orchestrator.worker;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The in-memory view of registered workers that dispatch decisions read on the hot path. The
 * database holds the durable copy; {@link WorkerService} writes both and reloads this view at
 * start-up so that a restart keeps every worker known.
 */
@ApplicationScoped
public class WorkerRegistry {

    private final ConcurrentMap<String, WorkerState> workers = new ConcurrentHashMap<>();

    /** Counts registrations stored, so that views derived from them (skill contracts) know when to rebuild. */
    private final AtomicLong registrations = new AtomicLong();

    public Optional<WorkerState> find(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }

    public Collection<WorkerState> all() {
        return workers.values();
    }

    public void put(WorkerState state) {
        workers.put(state.workerId(), state);
        registrations.incrementAndGet();
    }

    /** Adds a worker learnt from the database unless a registration here got in first; returns the one kept. */
    public WorkerState putIfAbsent(WorkerState state) {
        WorkerState present = workers.putIfAbsent(state.workerId(), state);
        if (present == null) {
            registrations.incrementAndGet();
        }
        return present == null ? state : present;
    }

    /** Grows each time a registration is stored (never on a mere sign of life). */
    public long registrations() {
        return registrations.get();
    }

    /** Records a sign of life; unknown workers stay unknown (they must register). */
    public Optional<WorkerState> touch(String workerId, String status, long now) {
        return Optional.ofNullable(workers.computeIfPresent(workerId, (id, state) -> state.seen(status, now)));
    }
}
