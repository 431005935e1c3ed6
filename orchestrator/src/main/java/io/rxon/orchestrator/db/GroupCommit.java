package io.rxon.orchestrator.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes what arrives while writes are in flight together, as one statement (group commit): an
 * idle orchestrator writes each item at once, a busy one writes whatever queued meanwhile in one
 * round trip and one commit. A few groups may be in flight at once, so that one group's commit
 * (a WAL flush) does not hold up the next. A failed group is written again item by item, so one
 * bad item fails alone. Each caller gets its outcome back on its own Vert.x context.
 *
 * @param <I> an item to write
 * @param <R> the outcome of one item
 */
public final class GroupCommit<I, R> {

    private final Function<List<I>, Uni<List<R>>> write;
    private final int maxBatch;
    private final int maxInFlight;
    private final Queue<Waiting<I, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** {@code write} returns one outcome per item, in the items' order. */
    public GroupCommit(int maxBatch, int maxInFlight, Function<List<I>, Uni<List<R>>> write) {
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.write = write;
    }

    private record Waiting<I, R>(I item, UniEmitter<? super R> emitter, Context context) {

        void complete(R outcome) {
            deliver(emitter -> emitter.complete(outcome));
        }

        void fail(Throwable error) {
            deliver(emitter -> emitter.fail(error));
        }

        private void deliver(Consumer<UniEmitter<? super R>> action) {
            if (context == null) {
                action.accept(emitter);
            } else {
                context.runOnContext(ignored -> action.accept(emitter));
            }
        }
    }

    public Uni<R> write(I item) {
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Waiting<>(item, emitter, Vertx.currentContext()));
            drain();
        });
    }

    private void drain() {
        while (!queue.isEmpty() && startWrite()) {
            List<Waiting<I, R>> batch = new ArrayList<>();
            for (Waiting<I, R> next = queue.poll(); next != null; next = batch.size() < maxBatch ? queue.poll() : null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            write.apply(batch.stream().map(Waiting::item).toList()).subscribe().with(
                    outcomes -> finished(() -> {
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).complete(outcomes.get(i));
                        }
                    }),
                    error -> finished(() -> {
                        if (batch.size() == 1) {
                            batch.get(0).fail(error);
                        } else {
                            batch.forEach(this::writeAlone);
                        }
                    }));
        }
    }

    private boolean startWrite() {
        int current = inFlight.get();
        while (current < maxInFlight) {
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
            current = inFlight.get();
        }
        return false;
    }

    private void finished(Runnable deliver) {
        inFlight.decrementAndGet();
        deliver.run();
        drain();
    }

    private void writeAlone(Waiting<I, R> waiting) {
        write.apply(List.of(waiting.item())).subscribe().with(
                outcomes -> waiting.complete(outcomes.get(0)), waiting::fail);
    }
}
