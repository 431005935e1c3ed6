-- Jobs submitted by clients. One job runs as one or more task attempts (tasks).
CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    client_id         TEXT        NOT NULL,
    type              TEXT        NOT NULL,
    params            JSONB,
    requirements      JSONB,
    priority          DOUBLE PRECISION NOT NULL DEFAULT 0,
    status            TEXT        NOT NULL,
    attempts          INTEGER     NOT NULL DEFAULT 0,
    max_attempts      INTEGER     NOT NULL,
    timeout_seconds   INTEGER,
    webhook_url       TEXT,
    current_task_id   TEXT,
    assigned_worker_id TEXT,
    result            JSONB,
    error             JSONB,
    progress          DOUBLE PRECISION,
    progress_message  TEXT,
    security          JSONB,
    metadata          JSONB,
    created_at        BIGINT      NOT NULL,
    updated_at        BIGINT      NOT NULL,
    deadline_at       BIGINT,
    finished_at       BIGINT
);
CREATE INDEX jobs_client_created ON jobs (client_id, created_at DESC, id DESC);
CREATE INDEX jobs_status ON jobs (status);

-- Task attempts. A pending task waits for a matching worker; a claim is a conditional update
-- (status = 'pending'), so two orchestrator processes can never hand one task to two workers.
CREATE SEQUENCE task_seq;
CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    job_id            TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt           INTEGER     NOT NULL,
    type              TEXT        NOT NULL,
    priority          DOUBLE PRECISION NOT NULL DEFAULT 0,
    seq               BIGINT      NOT NULL DEFAULT nextval('task_seq'),
    requirements      JSONB,
    status            TEXT        NOT NULL,
    worker_id         TEXT,
    created_at        BIGINT      NOT NULL,
    dispatched_at     BIGINT,
    lease_expires_at  BIGINT,
    finished_at       BIGINT,
    cancel_requested  BOOLEAN     NOT NULL DEFAULT FALSE,
    result            JSONB
);
-- The dispatch order: highest priority first, then first in, first out.
CREATE INDEX tasks_pending ON tasks (type, priority DESC, seq) WHERE status = 'pending';
CREATE INDEX tasks_leased ON tasks (lease_expires_at) WHERE status = 'assigned';
CREATE INDEX tasks_worker ON tasks (worker_id) WHERE status = 'assigned';
CREATE INDEX tasks_job ON tasks (job_id);

-- Registered workers and their last registration as sent.
CREATE TABLE workers (
    id                TEXT PRIMARY KEY,
    registration      JSONB       NOT NULL,
    status            TEXT        NOT NULL,
    usage             JSONB,
    current_tasks     TEXT[],
    public_key        TEXT,
    registered_at     BIGINT      NOT NULL,
    last_seen_at      BIGINT      NOT NULL
);

-- Job events (lifecycle and worker events) in arrival order; event_id de-duplicates worker events.
CREATE TABLE job_events (
    seq               BIGSERIAL PRIMARY KEY,
    event_id          TEXT        NOT NULL UNIQUE,
    job_id            TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id           TEXT,
    worker_id         TEXT,
    type              TEXT        NOT NULL,
    payload           JSONB,
    created_at        BIGINT      NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, seq);
