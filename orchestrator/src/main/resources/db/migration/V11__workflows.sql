-- Workflows (docs/WORKFLOWS.md). A workflow job is a job without tasks of its own: its steps are
-- child jobs (parent_job_id), so every call of a skill keeps the leases, retries and quarantine of jobs.
ALTER TABLE jobs ADD COLUMN parent_job_id TEXT REFERENCES jobs (id) ON DELETE CASCADE;
-- The workflow a job runs (null for a plain job): the hook that advances instances is skipped for the others.
ALTER TABLE jobs ADD COLUMN workflow TEXT;
CREATE INDEX jobs_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;

-- Registered definitions; a version never changes once stored (a running instance keeps its version).
CREATE TABLE workflow_definitions (
    name              TEXT        NOT NULL,
    version           TEXT        NOT NULL,
    document          TEXT        NOT NULL,
    created_at        BIGINT      NOT NULL,
    PRIMARY KEY (name, version)
);

-- One row per workflow job: what it runs and when it wants to be advanced without an event (timers).
CREATE TABLE workflow_instances (
    job_id            TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    name              TEXT        NOT NULL,
    version           TEXT        NOT NULL,
    input             JSONB,
    transitions       INTEGER     NOT NULL DEFAULT 0,
    wake_at           BIGINT
);
CREATE INDEX workflow_instances_wake ON workflow_instances (wake_at) WHERE wake_at IS NOT NULL;

-- The external steps of an instance (skill calls, sub-workflows, timers, signals): the durable
-- record the interpreter replays. A step is started once and finished once, each in the transaction
-- that decided it.
CREATE TABLE workflow_steps (
    id                TEXT PRIMARY KEY,
    job_id            TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step_key          TEXT        NOT NULL,
    task              TEXT        NOT NULL,
    kind              TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    child_job_id      TEXT,
    signal            TEXT,
    due_at            BIGINT,
    output            JSONB,
    error             JSONB,
    attempts          INTEGER     NOT NULL DEFAULT 0,
    worker_id         TEXT,
    started_at        BIGINT      NOT NULL,
    finished_at       BIGINT,
    UNIQUE (job_id, step_key)
);
CREATE INDEX workflow_steps_child ON workflow_steps (child_job_id) WHERE child_job_id IS NOT NULL;
CREATE INDEX workflow_steps_due ON workflow_steps (due_at) WHERE status = 'running' AND due_at IS NOT NULL;
