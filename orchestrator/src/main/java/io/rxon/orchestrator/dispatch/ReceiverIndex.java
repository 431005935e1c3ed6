package io.rxon.orchestrator.dispatch;

import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerState;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The waiting receivers (parked long-polls, push sockets) by the task types they take, so that
 * offering a task costs about the same with ten waiting workers as with ten thousand: an offer
 * walks only the receivers of its type, those of workers that list the type as hot first, each
 * group from a random position (so no worker is always first), and stops at the first receiver
 * that is eligible and starts a claim. A receiver takes the skills its worker registered that it
 * accepts; the index follows the worker's registration as of the receiver's last
 * {@link #place placement}, and {@link #reconcile} re-places receivers whose worker registered
 * again or changed its skills since. Whether a worker really is eligible (status, requirements,
 * skills now) is checked by the caller's predicate when the walk reaches it.
 */
final class ReceiverIndex {

    private final ConcurrentMap<String, Bucket> hot = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Bucket> others = new ConcurrentHashMap<>();
    /** Where each indexed receiver is; written under this index's lock only. */
    private final Map<TaskReceiver, Placement> placements = new IdentityHashMap<>();

    /** The buckets a receiver is in, and the registration they were derived from. */
    private record Placement(WorkerRegistration registration, List<Bucket> buckets) {}

    /**
     * Indexes a receiver under its worker's skills (none while the worker is unknown); does
     * nothing when it is placed already for this registration, and never indexes a closing one.
     */
    synchronized void place(TaskReceiver receiver, Optional<WorkerState> worker) {
        WorkerRegistration registration = worker.map(WorkerState::registration).orElse(null);
        Placement placed = placements.get(receiver);
        if (placed != null && placed.registration() == registration) {
            return;
        }
        unplace(receiver);
        if (receiver.isClosing()) {
            return;
        }
        List<Bucket> buckets = new ArrayList<>();
        for (String skill : worker.map(WorkerState::skillNames).orElse(Set.of())) {
            if (receiver.accepts(skill)) {
                boolean isHot = registration.hotSkills() != null && registration.hotSkills().contains(skill);
                Bucket bucket = (isHot ? hot : others).computeIfAbsent(skill, ignored -> new Bucket());
                bucket.add(receiver);
                buckets.add(bucket);
            }
        }
        placements.put(receiver, new Placement(registration, buckets));
    }

    synchronized void remove(TaskReceiver receiver) {
        unplace(receiver);
    }

    private void unplace(TaskReceiver receiver) {
        Placement placed = placements.remove(receiver);
        if (placed != null) {
            placed.buckets().forEach(bucket -> bucket.remove(receiver));
        }
    }

    /**
     * Re-places receivers whose worker's registration changed and drops closed ones.
     *
     * @return the receivers re-placed (their worker may now take tasks that were offered before)
     */
    synchronized List<TaskReceiver> reconcile(Function<String, Optional<WorkerState>> workers) {
        List<TaskReceiver> replaced = new ArrayList<>();
        for (TaskReceiver receiver : List.copyOf(placements.keySet())) {
            if (receiver.isClosing()) {
                unplace(receiver);
                continue;
            }
            Optional<WorkerState> worker = workers.apply(receiver.workerId());
            if (worker.map(WorkerState::registration).orElse(null) != placements.get(receiver).registration()) {
                place(receiver, worker);
                replaced.add(receiver);
            }
        }
        return replaced;
    }

    /**
     * Starts a claim for the task on the first receiver of its type that may take work, passes
     * {@code eligible} and {@link TaskReceiver#tryStartClaim() starts a claim}: hot workers first.
     *
     * @return the receiver now claiming, or null when none could
     */
    TaskReceiver startClaim(String type, Predicate<TaskReceiver> eligible) {
        TaskReceiver found = startClaim(hot.get(type), eligible);
        return found != null ? found : startClaim(others.get(type), eligible);
    }

    private static TaskReceiver startClaim(Bucket bucket, Predicate<TaskReceiver> eligible) {
        return bucket == null ? null : bucket.startClaim(eligible);
    }

    /** Receivers indexed (for tests and gauges). */
    synchronized int size() {
        return placements.size();
    }

    /** One type's receivers in an array list with swap-removal; walks hold its lock, never the index's. */
    private static final class Bucket {
        private final List<TaskReceiver> receivers = new ArrayList<>();
        private final Map<TaskReceiver, Integer> positions = new IdentityHashMap<>();

        synchronized void add(TaskReceiver receiver) {
            positions.put(receiver, receivers.size());
            receivers.add(receiver);
        }

        synchronized void remove(TaskReceiver receiver) {
            Integer position = positions.remove(receiver);
            if (position == null) {
                return;
            }
            TaskReceiver last = receivers.remove(receivers.size() - 1);
            if (last != receiver) {
                receivers.set(position, last);
                positions.put(last, position);
            }
        }

        synchronized TaskReceiver startClaim(Predicate<TaskReceiver> eligible) {
            int size = receivers.size();
            int start = size < 2 ? 0 : ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                TaskReceiver receiver = receivers.get((start + i) % size);
                if (receiver.mayTake() && eligible.test(receiver) && receiver.tryStartClaim()) {
                    return receiver;
                }
            }
            return null;
        }
    }
}
