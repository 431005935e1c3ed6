package io.rxon.orchestrator.worker;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.common.json.Json;
import io.rxon.orchestrator.db.TickFailures;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Heartbeats' liveness, status, usage and running tasks on their way to the {@code workers} table:
 * gathered in memory per worker and written for all workers at once, one
 * {@code UPDATE … FROM unnest(…)} per {@value #BATCH} workers, every
 * {@code rxon.orchestrator.timing.heartbeat-flush-interval} and at shutdown. A heartbeat thus
 * costs no statement of its own; the in-memory {@link WorkerRegistry} is current at once, the
 * table (read by {@code GET /api/v1/workers} and at start-up) about a second later. A row is only
 * moved forward in time, so a registration or another orchestrator's fresher write is never undone.
 */
@ApplicationScoped
public class WorkerSightings {

    static final int BATCH = 1000;

    private static final String WRITE = """
            UPDATE workers w SET
                last_seen_at = s.seen_at,
                status = COALESCE(s.status, w.status),
                usage = COALESCE(s.usage::jsonb, w.usage),
                current_tasks = CASE
                    WHEN NOT s.tasks_reported THEN w.current_tasks
                    WHEN s.current_tasks IS NULL THEN NULL
                    ELSE ARRAY(SELECT jsonb_array_elements_text(s.current_tasks::jsonb)) END
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::text[])
                AS s(id, seen_at, status, usage, tasks_reported, current_tasks)
            WHERE w.id = s.id AND w.last_seen_at <= s.seen_at""";

    private final ConcurrentMap<String, WorkerSighting> pending = new ConcurrentHashMap<>();
    private final Pool pool;
    private final TickFailures failures = new TickFailures("writing heartbeats");

    public WorkerSightings(Pool pool) {
        this.pool = pool;
    }

    /** Notes a heartbeat; the next flush writes it. */
    void record(String workerId, WorkerSighting sighting) {
        pending.merge(workerId, sighting, WorkerSighting::then);
    }

    @Scheduled(every = "${rxon.orchestrator.timing.heartbeat-flush-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledFlush() {
        return flush().replaceWithVoid();
    }

    void flushOnShutdown(@Observes ShutdownEvent event) {
        try {
            int written = VertxContextSupport.subscribeAndAwait(this::flush);
            Log.debugf("wrote the last heartbeats of %d workers", written);
        } catch (Throwable error) {
            Log.warnf(error, "the last heartbeats could not be written");
        }
    }

    /**
     * Writes everything noted so far and returns how many rows moved. Never fails: a batch that
     * could not be written waits for the next flush.
     */
    public Uni<Integer> flush() {
        List<List<Map.Entry<String, WorkerSighting>>> batches = drain();
        if (batches.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(this::write)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * Takes everything noted so far, in batches ordered by worker id, so that two orchestrators
     * flushing overlapping workers lock rows in the same order; a batch that loses a deadlock
     * anyway is written with the next flush.
     */
    private List<List<Map.Entry<String, WorkerSighting>>> drain() {
        List<Map.Entry<String, WorkerSighting>> drained = new ArrayList<>();
        for (String workerId : pending.keySet()) {
            WorkerSighting sighting = pending.remove(workerId);
            if (sighting != null) {
                drained.add(Map.entry(workerId, sighting));
            }
        }
        drained.sort(Map.Entry.comparingByKey());
        List<List<Map.Entry<String, WorkerSighting>>> batches = new ArrayList<>();
        for (int from = 0; from < drained.size(); from += BATCH) {
            batches.add(drained.subList(from, Math.min(from + BATCH, drained.size())));
        }
        return batches;
    }

    private Uni<Integer> write(List<Map.Entry<String, WorkerSighting>> batch) {
        return pool.preparedQuery(WRITE).execute(arguments(batch)).map(SqlResult::rowCount)
                .invoke(written -> failures.succeeded())
                .onFailure().recoverWithItem(error -> {
                    failures.failed(error);
                    batch.forEach(entry -> pending.merge(entry.getKey(), entry.getValue(),
                            (newer, failed) -> failed.then(newer)));
                    return 0;
                });
    }

    private static Tuple arguments(List<Map.Entry<String, WorkerSighting>> batch) {
        int size = batch.size();
        String[] ids = new String[size];
        Long[] seenAt = new Long[size];
        String[] statuses = new String[size];
        String[] usages = new String[size];
        Boolean[] tasksReported = new Boolean[size];
        String[] currentTasks = new String[size];
        for (int i = 0; i < size; i++) {
            WorkerSighting sighting = batch.get(i).getValue();
            ids[i] = batch.get(i).getKey();
            seenAt[i] = sighting.seenAt();
            statuses[i] = sighting.status();
            usages[i] = sighting.usage() == null ? null : Json.writeString(sighting.usage());
            tasksReported[i] = sighting.tasksReported();
            currentTasks[i] = sighting.currentTasks() == null ? null : Json.writeString(sighting.currentTasks());
        }
        return Tuple.of(ids, seenAt, statuses, usages, tasksReported, currentTasks);
    }
}
