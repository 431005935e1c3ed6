package io.rxon.orchestrator.job;

import io.rxon.orchestrator.db.GroupCommit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Polls' claims, in one statement for every poll of workers with the same skills that arrives
 * while such a statement is in flight ({@link GroupCommit}): a busy queue pays one round trip and
 * one commit for several workers' claims instead of one each. The statement hands the most urgent
 * pending tasks out in order, one per poll, as long as each needs no requirement check (the
 * common case); from the first one that does, the polls left over are told to match in Java.
 */
final class PollClaims {

    /** Polls per statement. */
    static final int MAX_GROUP = 32;

    /** Statements in flight at once per skill set: one more collects the polls that arrive meanwhile. */
    static final int MAX_IN_FLIGHT = 2;

    /**
     * $1 workers and $4 their event ids (one per poll, in order), $2 now, $3 lease expiry, $5 the
     * skills, $6 those taken without requirements, $7 the number of polls. The candidates are the
     * first $7 heads whose jobs are not locked; the one ranked n goes to poll n unless it or one
     * ranked before it needs a requirement check. {@code seen} counts the candidates.
     */
    private static final String CLAIM_NEXT = StatusSql.of("WITH " + TaskClaims.heads("$5",
            "(" + TaskClaims.HEADS_PER_CLAIM + " + $7)") + """
            ,
            candidate AS (
                SELECT j.id AS job_id, h.id AS task_id, h.priority, h.seq,
                       (h.requirements IS NULL OR h.requirements = '{}'::jsonb) AND h.type = ANY($6) AS plain
                FROM heads h JOIN jobs j ON j.id = h.job_id AND j.current_task_id = h.id
                ORDER BY h.priority DESC, h.seq
                LIMIT $7
                FOR UPDATE OF j SKIP LOCKED),
            ranked AS (
                SELECT c.job_id, c.task_id, row_number() OVER urgency AS rank,
                       count(*) FILTER (WHERE NOT c.plain) OVER urgency AS checks
                FROM candidate c
                WINDOW urgency AS (ORDER BY c.priority DESC, c.seq)),
            locked AS (
                SELECT r.job_id, r.task_id, p.worker_id, p.event_id
                FROM ranked r
                JOIN unnest($1::text[], $4::text[]) WITH ORDINALITY AS p(worker_id, event_id, rank) ON p.rank = r.rank
                WHERE r.checks = 0),
            """ + TaskClaims.CLAIM_TAIL + """
            SELECT s.seen, job.* FROM (SELECT count(*) AS seen FROM candidate) s LEFT JOIN job ON true""");

    /** One poll's claim. */
    record Poll(String workerId, List<String> skills, List<String> plain, long leaseMillis) {

        Key key() {
            return new Key(skills, plain, leaseMillis);
        }
    }

    /** Polls that can share a statement. */
    private record Key(List<String> skills, List<String> plain, long leaseMillis) {}

    /** What the statement did for one poll. */
    sealed interface Outcome {
        /** It claimed the task in {@code row} at {@code now}. */
        record Claimed(Row row, long now, String eventId) implements Outcome {}

        /** Nothing for this poll; {@code sawPending}: the statement saw (and locked) candidates. */
        record Nothing(boolean sawPending) implements Outcome {}

        /** A candidate needs its requirements checked in Java: this poll must look on its own. */
        record NeedsMatching() implements Outcome {}
    }

    private final Pool pool;
    private final Clock clock;
    private final ConcurrentMap<Key, GroupCommit<Poll, Outcome>> groups = new ConcurrentHashMap<>();

    PollClaims(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    Uni<Outcome> claim(Poll poll) {
        return groups.computeIfAbsent(poll.key(), key -> new GroupCommit<>(MAX_GROUP, MAX_IN_FLIGHT, this::claimAll))
                .write(poll);
    }

    private Uni<List<Outcome>> claimAll(List<Poll> polls) {
        Poll first = polls.get(0);
        long now = clock.millis();
        List<String> eventIds = polls.stream().map(poll -> UUID.randomUUID().toString()).toList();
        Tuple arguments = Tuple.tuple()
                .addArrayOfString(polls.stream().map(Poll::workerId).toArray(String[]::new))
                .addLong(now)
                .addLong(now + first.leaseMillis())
                .addArrayOfString(eventIds.toArray(String[]::new))
                .addArrayOfString(first.skills().toArray(String[]::new))
                .addArrayOfString(first.plain().toArray(String[]::new))
                .addInteger(polls.size());
        return pool.preparedQuery(CLAIM_NEXT).execute(arguments).map(rows -> outcomes(rows, eventIds, now));
    }

    private static List<Outcome> outcomes(RowSet<Row> rows, List<String> eventIds, long now) {
        Map<String, Row> claimed = new HashMap<>();
        long seen = 0;
        for (Row row : rows) {
            seen = row.getLong("seen");
            if (row.getString("event_id") != null) {
                claimed.put(row.getString("event_id"), row);
            }
        }
        // Candidates that went to nobody were held back by a requirement check (or taken meanwhile).
        boolean leftOver = seen > claimed.size();
        List<Outcome> outcomes = new ArrayList<>(eventIds.size());
        for (String eventId : eventIds) {
            Row row = claimed.get(eventId);
            outcomes.add(row != null ? new Outcome.Claimed(row, now, eventId)
                    : leftOver ? new Outcome.NeedsMatching() : new Outcome.Nothing(seen > 0));
        }
        return outcomes;
    }
}
