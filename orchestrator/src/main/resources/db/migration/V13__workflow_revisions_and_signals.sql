-- Workflows, incremental advance (docs/WORKFLOWS.md, "How an instance advances"): every advance
-- writes a fresh revision, and a replica that advanced the instance last keeps its step records
-- in memory under that revision. A replica whose revision matches the row skips loading the
-- instance's steps again; a rolled-back advance leaves the old revision, so its records are never used.
ALTER TABLE workflow_instances ADD COLUMN revision TEXT;

-- Signals sent while no step listens for them yet (docs/WORKFLOWS.md, "Signals"): kept per instance in
-- the order they came and taken, oldest first, by the first listen step for their name that starts.
-- Dropped when the instance ends.
CREATE TABLE workflow_signals (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id            TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name              TEXT        NOT NULL,
    payload           JSONB,
    received_at       BIGINT      NOT NULL
);
CREATE INDEX workflow_signals_job ON workflow_signals (job_id, name, id);
