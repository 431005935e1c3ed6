package io.rxon.orchestrator.job;

/**
 * The statements of dispatch ({@link TaskClaims}). A claim is one conditional update
 * ({@code WHERE status = {task:pending}}) that also marks the job running, so no task ever goes
 * to two workers, even with several orchestrator processes on one database; candidates for a
 * polling worker are read with {@code FOR UPDATE SKIP LOCKED} so concurrent polls do not queue
 * behind each other. A claim locks the job row before the task row, the order every other change
 * of a job takes (cancellation, deadlines, results, recovery), so a claim never deadlocks with them.
 */
final class ClaimStatements {

    /** Candidates inspected per poll; requirements are matched in Java, so a few non-matching ones are skipped. */
    static final int CANDIDATES = 64;

    /**
     * Heads a poll's one-statement claim looks at: enough that the claims of concurrent workers,
     * each holding one head locked for a moment, still leave this one something to take.
     */
    static final int HEADS_PER_CLAIM = 16;

    /**
     * Pages of {@value #CANDIDATES} a poll reads while none of them is a task it meets the
     * requirements of: tasks it can take behind a long run of tasks for other hardware are found,
     * at a bounded cost.
     */
    static final int CANDIDATE_PAGES = 16;

    /**
     * The first $2 pending tasks of the types in $1, most urgent first, read as one short index scan
     * per type ({@code tasks_pending}) and merged: the cost of a claim does not grow with the
     * backlog. Joining jobs in the same scan would not do: the planner cannot estimate the
     * two-column join and sorts every pending task of the types instead (88 ms with 33,000 pending,
     * against 0.5 ms this way).
     */
    private static String heads(String types, String limit) {
        return heads(types, limit, "");
    }

    /** The heads after a condition on {@code t} (a page's position). */
    private static String heads(String types, String limit, String after) {
        return """
                heads AS MATERIALIZED (
                    SELECT h.* FROM unnest(%1$s::text[]) AS s(type)
                    CROSS JOIN LATERAL (
                        SELECT t.id, t.job_id, t.priority, t.seq, t.type, t.requirements FROM tasks t
                        WHERE t.status = {task:pending} AND t.type = s.type%3$s
                        ORDER BY t.priority DESC, t.seq
                        LIMIT %2$s) h
                    ORDER BY h.priority DESC, h.seq
                    LIMIT %2$s)""".formatted(types, limit, after);
    }

    /**
     * Heads joined to their jobs: the head is the job's current attempt and the job still waits
     * for a worker. The status matters for {@code FOR UPDATE}: a job that a concurrent claim took
     * after this statement's snapshot is locked, re-checked against its new row and, now running,
     * skipped, so the claim moves on to the next head instead of ending with nothing (its
     * {@code current_task_id} alone still matches).
     */
    private static final String HEADS_OF_WAITING_JOBS = """
            FROM heads h JOIN jobs j ON j.id = h.job_id AND j.current_task_id = h.id AND j.status IN ({job:pending}, {job:waiting_for_worker})""";

    /**
     * A page of $2 heads that are their job's current attempt, after the position $3 (priority),
     * $4 (seq) in dispatch order ({@code 'Infinity'} first), their jobs locked (skipping those
     * locked already).
     */
    static final String SELECT_CANDIDATES = StatusSql.of("WITH " + heads("$1", "$2",
            " AND t.priority <= $3 AND (t.priority < $3 OR t.seq > $4)") + """

            SELECT h.id, h.type, h.requirements, h.priority, h.seq
            """ + HEADS_OF_WAITING_JOBS + """

            ORDER BY h.priority DESC, h.seq
            FOR UPDATE OF j SKIP LOCKED""");

    /**
     * Claims the task of the locked job ({@code locked}: job id and task id), marks the job
     * running and records {@code task_dispatched}, in one statement. The statements below differ
     * only in how they pick and lock the job; their parameters start with worker id, now, lease
     * expiry and the event id. The task is updated only after its job's row is locked (the
     * update joins the lock), and the job only when the task was still pending. {@code %s} is
     * where {@link #commitMode} goes.
     */
    private static final String CLAIM_TAIL = """
            claimed AS (
                UPDATE tasks t SET status = {task:assigned}, worker_id = $1, dispatched_at = $2, lease_expires_at = $3
                FROM locked
                WHERE t.id = locked.task_id AND t.status = {task:pending:checked}
                RETURNING t.id, t.job_id, t.attempt, t.created_at),
            job AS (
                UPDATE jobs j SET status = {job:running}, assigned_worker_id = $1, attempts = j.attempts + 1, updated_at = $2
                FROM claimed c
                WHERE j.id = c.job_id
                RETURNING j.id, j.type, j.params::text AS params, j.params_metadata::text AS params_metadata, j.priority,
                          j.deadline_at, j.security::text AS security, j.metadata::text AS metadata,
                          j.requirements::text AS requirements, c.id AS task_id, c.attempt, c.created_at AS queued_at%s),
            dispatched AS (
                INSERT INTO job_events (event_id, job_id, task_id, worker_id, type, payload, created_at)
                SELECT $4, job.id, job.task_id, $1, 'task_dispatched',
                       jsonb_build_object('worker_id', $1::text, 'attempt', job.attempt), $2
                FROM job)
            """;

    /**
     * How a claim commits. A claim that a database crash undoes loses nothing: its task is pending
     * again and is dispatched again, as after a lost worker (delivery is at-least-once), and the
     * first worker's result is then ignored as not its own. So unless every claim must be flushed
     * ({@code rxon.orchestrator.database.durable-claims}), a claim commits without waiting for its
     * WAL to reach the disk: {@code set_config(…, true)} lasts until the claim's transaction ends,
     * and any later durable commit (the task's result, a submission) flushes the claim with it.
     * Evaluated in the job's {@code RETURNING}, so only a claim that took a task is relaxed.
     */
    private static String commitMode(boolean durable) {
        return durable ? "" : ",\n                          set_config('synchronous_commit', 'off', true) AS commit_mode";
    }

    /** One given task ($5), if it is still its job's pending attempt. */
    static String claim(boolean durable) {
        return StatusSql.of("""
                WITH locked AS (
                    SELECT j.id AS job_id, j.current_task_id AS task_id FROM jobs j
                    WHERE j.id = (SELECT job_id FROM tasks WHERE id = $5) AND j.current_task_id = $5
                      AND j.status IN ({job:pending}, {job:waiting_for_worker})
                    FOR UPDATE),
                """ + CLAIM_TAIL.formatted(commitMode(durable)) + "SELECT * FROM job");
    }

    /**
     * A poll's claim in one statement when the most urgent pending task of the worker's skills
     * ($5) has no requirements and is of a type the worker takes without any ($6), the common
     * case; a row with {@code plain} false and no task means requirements must be matched in Java.
     */
    static String claimNextPlain(boolean durable) {
        return StatusSql.of("WITH " + heads("$5", Integer.toString(HEADS_PER_CLAIM)) + """
                ,
                candidate AS (
                    SELECT j.id AS job_id, h.id AS task_id,
                           (h.requirements IS NULL OR h.requirements = '{}'::jsonb) AND h.type = ANY($6) AS plain
                """ + HEADS_OF_WAITING_JOBS + """

                    ORDER BY h.priority DESC, h.seq
                    LIMIT 1
                    FOR UPDATE OF j SKIP LOCKED),
                locked AS (SELECT job_id, task_id FROM candidate WHERE plain),
                """ + CLAIM_TAIL.formatted(commitMode(durable)) + """
                SELECT EXISTS (SELECT 1 FROM heads) AS queued, candidate.plain, job.*
                FROM (VALUES (1)) AS one LEFT JOIN candidate ON true LEFT JOIN job ON true""");
    }

    static final String PENDING_BY_ID = StatusSql.of("""
            SELECT id, type, requirements FROM tasks WHERE id = ANY($1) AND status = {task:pending:checked}""");

    private ClaimStatements() {
    }
}
