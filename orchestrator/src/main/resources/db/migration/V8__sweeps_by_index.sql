-- The lease and deadline sweeps run every second. Without these partial indexes each of them read
-- every waiting job (33 ms per sweep with 100,000 pending, growing with the backlog); with them
-- they read only the few rows they are looking for. Expired attempts and jobs with a deadline
-- that are still open are rare, so both indexes stay small.
CREATE INDEX tasks_expired ON tasks (id) WHERE status = 'expired';
CREATE INDEX jobs_open_deadline ON jobs (deadline_at)
    WHERE deadline_at IS NOT NULL AND status NOT IN ('finished', 'failed', 'cancelled', 'quarantined');
