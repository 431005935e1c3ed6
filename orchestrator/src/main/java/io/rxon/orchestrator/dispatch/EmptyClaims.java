package io.rxon.orchestrator.dispatch;

import io.rxon.common.protocol.WorkerRegistration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lets an idle worker's poll skip the claim transaction when it cannot find anything: every task
 * type has a pending generation, raised whenever a task of the type is offered (it became pending
 * here or on another instance) and whenever a claim transaction that locked candidate rows of the
 * type ends (a concurrent claim may have skipped those rows, {@code SKIP LOCKED}); each worker
 * remembers the generations of its skills as of the start of its last claim that found nothing.
 * A claim may be skipped only while none of those generations moved, the worker's registration
 * is the very one it had then, and that empty claim is younger than the trust interval: the
 * safety net for whatever makes a task claimable without an offer (a notification from another
 * instance that never came, a row lock held by something other than a claim). Generations are
 * kept in stripes by the type's hash, so memory stays bounded; two types sharing a stripe only
 * cost an unnecessary claim.
 */
final class EmptyClaims {

    private static final int STRIPES = 1024;

    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final ConcurrentMap<String, Memory> memories = new ConcurrentHashMap<>();
    private final long trustMillis;

    /** The generations of {@code skills} (same order) when a worker's claim started that found nothing. */
    private record Memory(WorkerRegistration registration, List<String> skills, long[] generations, long at) {}

    /** The generations of a claim's skills read before its query. */
    record Snapshot(List<String> skills, long[] generations, long at) {}

    /** @param trustMillis how long an empty claim is trusted; zero never skips a claim */
    EmptyClaims(long trustMillis) {
        this.trustMillis = trustMillis;
    }

    /** A task of this type became pending (or may have): every worker with the skill looks again. */
    void offered(String type) {
        generations.incrementAndGet(stripe(type));
    }

    /**
     * Whether the worker's claim for {@code skills} would find nothing: its last claim found
     * nothing for (at least) these skills with this registration, less than the trust interval
     * ago, and no generation of these skills moved since.
     */
    boolean nothingNew(String workerId, WorkerRegistration registration, List<String> skills, long now) {
        Memory memory = memories.get(workerId);
        if (memory == null || registration == null || memory.registration() != registration
                || now - memory.at() >= trustMillis) {
            return false;
        }
        for (String skill : skills) {
            int known = memory.skills().indexOf(skill);
            if (known < 0 || generations.get(stripe(skill)) != memory.generations()[known]) {
                return false;
            }
        }
        return true;
    }

    /** Read before a claim's query starts: anything offered after this makes the worker look again. */
    Snapshot snapshot(List<String> skills, long now) {
        long[] seen = new long[skills.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = generations.get(stripe(skills.get(i)));
        }
        return new Snapshot(skills, seen, now);
    }

    /**
     * A worker's claim transaction ended. When it locked candidate rows ({@code sawCandidates})
     * it raises its skills' generations, so workers whose concurrent claims skipped those rows
     * look again; its own memory, kept when it found nothing, counts its own raise only when no
     * one else's came in between.
     */
    void claimEnded(String workerId, WorkerRegistration registration, Snapshot snapshot, boolean sawCandidates,
            boolean found) {
        long[] seen = snapshot.generations();
        long[] remembered = seen.clone();
        if (sawCandidates) {
            for (int i = 0; i < seen.length; i++) {
                int stripe = stripe(snapshot.skills().get(i));
                int earlier = earlierWithStripe(snapshot.skills(), i, stripe);
                if (earlier >= 0) {
                    remembered[i] = seen[i] == seen[earlier] ? remembered[earlier] : seen[i];
                } else if (generations.compareAndSet(stripe, seen[i], seen[i] + 1)) {
                    remembered[i] = seen[i] + 1;
                } else {
                    generations.incrementAndGet(stripe);
                }
            }
        }
        if (found || registration == null || trustMillis <= 0) {
            memories.remove(workerId);
        } else {
            memories.put(workerId, new Memory(registration, snapshot.skills(), remembered, snapshot.at()));
        }
    }

    /** A claim transaction failed (rolled back, its locks released): everyone with these skills looks again. */
    void claimFailed(String workerId, List<String> skills) {
        memories.remove(workerId);
        skills.forEach(this::offered);
    }

    /** The first earlier skill of the list in the same stripe (raised once per claim), or -1. */
    private static int earlierWithStripe(List<String> skills, int index, int stripe) {
        for (int i = 0; i < index; i++) {
            if (stripe(skills.get(i)) == stripe) {
                return i;
            }
        }
        return -1;
    }

    private static int stripe(String type) {
        return Math.floorMod(type.hashCode(), STRIPES);
    }
}
