-- Holarchy events (docs/HOLARCHY.md).
-- 1. Where an event came from: the worker that produced it (origin_worker_id; the leaf when it was
--    relayed by a child orchestrator) and the orchestrators it bubbled through (bubbling_chain), so a
--    root's clients see them on the job's event stream. Empty for lifecycle events.
ALTER TABLE job_events ADD COLUMN origin_worker_id TEXT;
ALTER TABLE job_events ADD COLUMN bubbling_chain TEXT[];

-- 2. Events of local jobs that run a parent task, kept in the transaction that stored them until the
--    parent has answered them, then deleted: a lost uplink or a restart delays them, in order (seq),
--    and never loses one. The row holds the event as the leaf (or lower orchestrator) sent it; the
--    uplink rewrites it for the parent when it sends it.
CREATE TABLE uplink_events (
    seq           BIGSERIAL PRIMARY KEY,
    local_job_id  TEXT   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event         JSONB  NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX uplink_events_job ON uplink_events (local_job_id, seq);

-- 3. One uplink per cluster: of the replicas that share this database and a parent identity, the one
--    holding this lease (on the database's clock) talks to the parent; another takes over once it
--    expires (docs/HOLARCHY.md).
CREATE TABLE uplink_leases (
    parent_worker_id  TEXT        PRIMARY KEY,
    owner             TEXT        NOT NULL,
    lease_until       TIMESTAMPTZ NOT NULL
);
