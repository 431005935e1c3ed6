-- Tasks this orchestrator took from its parent orchestrator (docs/HOLARCHY.md). Each became a local
-- job (local_job_id) or was refused (no local job, the refusal in result). A result is kept here
-- until the parent acknowledged it (acked_at), so neither a lost uplink nor a restart loses one, and
-- a task the parent hands out again is never run twice here.
CREATE TABLE uplink_tasks (
    parent_task_id    TEXT PRIMARY KEY,
    parent_job_id     TEXT        NOT NULL,
    local_job_id      TEXT,
    received_at       BIGINT      NOT NULL,
    result            JSONB,
    acked_at          BIGINT
);
CREATE INDEX uplink_tasks_unacked ON uplink_tasks (received_at) WHERE acked_at IS NULL;
CREATE INDEX uplink_tasks_local_job ON uplink_tasks (local_job_id);
