SET plan_cache_mode = force_generic_plan;
PREPARE c(text, bigint, bigint, text, text[], text[]) AS WITH heads AS MATERIALIZED (
    SELECT h.* FROM unnest($5::text[]) AS s(type)
    CROSS JOIN LATERAL (
        SELECT t.id, t.job_id, t.priority, t.seq, t.type, t.requirements FROM tasks t
        WHERE t.status = 'pending' AND t.type = s.type
        ORDER BY t.priority DESC, t.seq
        LIMIT 16) h
    ORDER BY h.priority DESC, h.seq
    LIMIT 16),
candidate AS (
    SELECT j.id AS job_id, h.id AS task_id,
           (h.requirements IS NULL OR h.requirements = '{}'::jsonb) AND h.type = ANY($6) AS plain
FROM heads h JOIN jobs j ON j.id = h.job_id AND j.current_task_id = h.id AND j.status IN ('pending', 'waiting_for_worker')
    ORDER BY h.priority DESC, h.seq
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED),
locked AS (SELECT job_id, task_id FROM candidate WHERE plain),
claimed AS (
    UPDATE tasks t SET status = 'assigned', worker_id = $1, dispatched_at = $2, lease_expires_at = $3
    FROM locked
    WHERE t.id = locked.task_id AND t.status = 'pending'
    RETURNING t.id, t.job_id, t.attempt, t.created_at),
job AS (
    UPDATE jobs j SET status = 'running', assigned_worker_id = $1, attempts = j.attempts + 1, updated_at = $2
    FROM claimed c
    WHERE j.id = c.job_id
    RETURNING j.id, j.type, j.params::text AS params, j.params_metadata::text AS params_metadata, j.priority,
              j.deadline_at, j.security::text AS security, j.metadata::text AS metadata,
              j.requirements::text AS requirements, c.id AS task_id, c.attempt, c.created_at AS queued_at,
              set_config('synchronous_commit', 'off', true) AS commit_mode),
dispatched AS (
    INSERT INTO job_events (event_id, job_id, task_id, worker_id, type, payload, created_at)
    SELECT $4, job.id, job.task_id, $1, 'task_dispatched',
           jsonb_build_object('worker_id', $1::text, 'attempt', job.attempt), $2
    FROM job)
SELECT EXISTS (SELECT 1 FROM heads) AS queued, candidate.plain, job.*
FROM (VALUES (1)) AS one LEFT JOIN candidate ON true LEFT JOIN job ON true;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE c('w1', 1, 2, gen_random_uuid()::text, ARRAY['echo'], ARRAY['echo']);
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE c('w1', 1, 2, gen_random_uuid()::text, ARRAY['echo'], ARRAY['echo']);
ROLLBACK;
